using System.Text.Json;
using Depin.Contracts.Marketplace;
using Microsoft.AspNetCore.Hosting.Server;
using Refit;

namespace Depin.AppHost;

/// <summary>
/// <c>--demo</c>: registers a customer, funds it, and keeps submitting small sample jobs of every kernel kind so that a
/// newcomer sees jobs flow from submission to settlement (and the dashboard fill up).
/// </summary>
internal sealed partial class Demo(IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration, ILogger<Demo> logger) : BackgroundService
{
    private static readonly (string Kind, string Parameters)[] Samples =
    [
        ("matmul", """{"m":24,"n":24,"k":24,"seed":7}"""),
        ("mandelbrot", """{"width":48,"height":32,"centerX":-0.5,"centerY":0,"spanX":3,"maxIterations":64}"""),
        ("montecarlo", """{"optionType":"call","s0":100,"strike":100,"rate":0.01,"sigma":0.2,"maturity":1,"paths":4096,"steps":1,"seed":3,"pathsPerBlock":256}"""),
        ("pow", """{"challenge":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff","difficultyBits":10}"""),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue<bool>("Demo") || !await LocalWorkerPool.Started(lifetime, stoppingToken))
        {
            return;
        }

        var url = LocalWorkerPool.SelfUrl(server);
        using var anonymous = new HttpClient { BaseAddress = new Uri(url) };
        var customer = await RestService.For<IMarketplaceApi>(anonymous).RegisterCustomerAsync(new RegisterCustomerRequest("demo-customer"), stoppingToken);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Add("X-Api-Key", customer.ApiKey);
        var api = RestService.For<IMarketplaceApi>(http);
        await api.FundAsync(new FundRequest(1_000_000_000), stoppingToken);
        LogStarted(customer.CustomerId, customer.ApiKey);

        var round = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var (kind, parameters) = Samples[round++ % Samples.Length];
            try
            {
                var job = await api.SubmitJobAsync(new SubmitJobRequest(kind, JsonDocument.Parse(parameters).RootElement, 200_000, DateTimeOffset.UtcNow.AddMinutes(5), Guid.NewGuid().ToString()), stoppingToken);
                LogSubmitted(job.JobId, kind, job.WorkUnits, job.Escrow);
            }
            catch (ApiException error)
            {
                LogRefused(kind, (int)error.StatusCode, error.Content);
            }

            await Task.Delay(TimeSpan.FromSeconds(3), stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: customer {CustomerId} funded (API key {ApiKey}); submitting a sample job every 3 s")]
    private partial void LogStarted(string customerId, string apiKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: submitted {Kind} job {JobId}: {WorkUnits} work units, escrow {Escrow} micro-credits")]
    private partial void LogSubmitted(string jobId, string kind, long workUnits, long escrow);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo: {Kind} job refused with {Status}: {Content}")]
    private partial void LogRefused(string kind, int status, string? content);
}
