using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Depin.AllInOne;

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
        builder.Services.AddOptions<LocalWorkerPoolOptions>().Bind(builder.Configuration.GetSection("Pool"));
        builder.Services.AddHostedService<LocalWorkerPool>();
        builder.Configuration["Rewards:RewardPoolFunding"] ??= builder.Configuration["Pool:RewardPoolFunding"] ?? "1000000000000000";
        builder.Services.AddSingleton<Depin.Marketplace.Providers.IPayoutWalletProof, RewardsWalletProof>();
        builder.Services.AddSingleton<Depin.Contracts.Rewards.IWithdrawalRequests, Depin.Rewards.Bridge.LocalWithdrawalRequests>();
        builder.Configuration["Demo"] ??= args.Contains("--demo") ? "true" : "false";
        if (builder.Configuration.GetValue<bool>("Demo"))
        {
            // Epochs of seconds in the demo, so rewards, payout roots and claims show up while you watch.
            builder.Configuration["Rewards:EpochLength"] ??= "00:00:30";
            builder.Configuration["Rewards:Anchoring:EveryBlocks"] ??= "20";
        }

        return builder;
    }

    private sealed class Banner(IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration, Depin.ServiceDefaults.Security.AdminKey admin, ILogger<Banner> logger) : IHostedService
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
                      Admin dashboard:         {Url}/dashboard   (admin key: {AdminKey})
                      Orleans dashboard:       {Url}/orleans/?api-key=<admin key>
                      Hangfire (rewards jobs): {Url}/hangfire?api-key=<admin key>
                      Rewards:                 {Url}/api/rewards/epochs
                      Health:                  {Url}/health
                      Ledger:                  {Url}/api/ledger/blocks/latest
                      Telemetry:               {Otlp}
                    Try it:  dotnet run --project web/Depin.Cli -- customer register alice --url {Url}
                             dotnet run --project web/Depin.Cli -- fund 1000000000
                             dotnet run --project web/Depin.Cli -- job submit pow -p challenge=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff -p difficultyBits=12 --max-price 200000 --watch
                    Sample traffic: dotnet run --project web/Depin.Cli -- demo --url {Url}
                    """,
                    url, url, url, admin.Generated ? "generated for this run, see the warning above; set Admin:ApiKey" : admin.Value == Depin.ServiceDefaults.Security.AdminKey.DevelopmentKey ? "dev-admin-key (Development only)" : "Admin:ApiKey",
                    url, url, url, url, url, string.IsNullOrEmpty(otlp) ? "set OTEL_EXPORTER_OTLP_ENDPOINT to export traces, metrics and logs over OTLP" : $"exporting over OTLP to {otlp}", url, url);
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
