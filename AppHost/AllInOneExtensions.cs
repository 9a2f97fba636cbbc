using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Depin.AppHost;

/// <summary>What only the all-in-one host does: default URLs, a data directory under .data/, and the start-up banner.</summary>
internal static class AllInOneExtensions
{
    public static WebApplicationBuilder AddAllInOne(this WebApplicationBuilder builder, string[] args)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        }

        builder.Services.AddHostedService<Banner>();
        builder.Configuration["Demo"] ??= args.Contains("--demo") ? "true" : "false";
        return builder;
    }

    private sealed class Banner(IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration, ILogger<Banner> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() =>
            {
                var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
                var otlp = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
                logger.LogInformation(
                    """
                    Depin Platform is running (all-in-one host).
                      REST API docs (Scalar):  {Url}/scalar
                      OpenAPI document:        {Url}/openapi/v1.json
                      Admin dashboard:         {Url}/dashboard   (admin key: Dashboard:AdminApiKey, default dev-admin-key)
                      Health:                  {Url}/health
                      Ledger:                  {Url}/api/ledger/blocks/latest
                      Telemetry:               {Otlp}
                    Try: curl -X POST {Url}/api/ledger/transactions -H 'content-type: application/json' -d '{{"transactions":[{{"id":"'$(cat /proc/sys/kernel/random/uuid)'","program":"deposit","to":"0xa11ce00000000000000000000000000000000001","amount":1000000}}]}}'
                    """,
                    url, url, url, url, url, string.IsNullOrEmpty(otlp) ? "set OTEL_EXPORTER_OTLP_ENDPOINT to export traces, metrics and logs over OTLP" : $"exporting over OTLP to {otlp}", url);
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
