using Depin.Contracts.Marketplace;
using Depin.Worker;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Refit;

namespace Depin.AllInOne;

/// <summary>Settings of the worker pool the all-in-one host runs ("Pool" section).</summary>
internal sealed class LocalWorkerPoolOptions
{
    /// <summary>Run a local worker pool. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Key file of the local provider's payout wallet (created on first start). Default ".data/pool-wallet.json".</summary>
    public string WalletKeyFile { get; set; } = Path.Combine(".data", "pool-wallet.json");

    /// <summary>Ask price, micro-credits per 1,000,000 work units. Default 100,000.</summary>
    public long AskPricePerMegaUnit { get; set; } = 100_000;
}

/// <summary>
/// The local worker pool: once the host listens, it registers a provider through the public REST API and runs the real
/// worker agent (one lane per ILGPU device: CUDA when present, else the CPU accelerator) against this host.
/// </summary>
internal sealed partial class LocalWorkerPool(
    IServer server,
    IHostApplicationLifetime lifetime,
    Microsoft.Extensions.Options.IOptions<LocalWorkerPoolOptions> options,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<LocalWorkerPool>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || !await Started(lifetime, stoppingToken))
        {
            return;
        }

        var url = SelfUrl(server);
        using var anonymous = new HttpClient { BaseAddress = new Uri(url) };
        var registration = await ProviderEnrollment.LoadOrRegisterAsync(new Uri(url), options.Value.WalletKeyFile, "local-pool", stoppingToken);
        var agentOptions = new WorkerAgentOptions
        {
            MarketplaceUrl = url,
            ApiKey = registration.ApiKey,
            Name = $"{Environment.MachineName}-local",
            AskPricePerMegaUnit = options.Value.AskPricePerMegaUnit,
        };
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(agentOptions.LeaseWaitSeconds + 60) };
        http.DefaultRequestHeaders.Add("X-Api-Key", registration.ApiKey);
        var agent = new WorkerAgent(RestService.For<IMarketplaceApi>(http), agentOptions, loggers.CreateLogger<WorkerAgent>());
        LogPool(registration.ProviderId, registration.PayoutAddress);
        // Stop on ApplicationStopping, while the server still listens, so that the agent can give its leases back.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        await agent.RunAsync(stopping.Token);
    }

    public static async Task<bool> Started(IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await Task.WhenAny(started.Task, Task.Delay(Timeout.Infinite, stoppingToken));
        return !stoppingToken.IsCancellationRequested;
    }

    public static string SelfUrl(IServer server) =>
        (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080").Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1");

    [LoggerMessage(Level = LogLevel.Information, Message = "Local worker pool registered as provider {ProviderId}, paid to {PayoutAddress}")]
    private partial void LogPool(string providerId, string payoutAddress);
}
