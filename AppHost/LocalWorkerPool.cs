using System.Net.Http.Json;
using System.Text.Json;
using Depin.Contracts.Marketplace;
using Depin.Contracts.Rewards;
using Depin.Rewards.Wallets;
using Depin.Worker;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Refit;

namespace Depin.AppHost;

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
        var wallet = LocalKeyFile.LoadOrCreate(options.Value.WalletKeyFile);
        var registration = await LoadOrRegisterAsync(anonymous, wallet, stoppingToken);
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

    /// <summary>The provider this pool registered on an earlier start (kept beside its wallet, 0600) while its key still works; else a new one.</summary>
    private async Task<ProviderRegistration> LoadOrRegisterAsync(HttpClient anonymous, LocalKeyFile wallet, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Value.WalletKeyFile))!, "pool-provider.json");
        if (File.Exists(file) && JsonSerializer.Deserialize<ProviderRegistration>(await File.ReadAllTextAsync(file, cancellationToken)) is { } saved &&
            string.Equals(saved.PayoutAddress, wallet.Address.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/providers/me");
            request.Headers.Add("X-Api-Key", saved.ApiKey);
            using var response = await anonymous.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return saved;
            }
        }

        var registration = await RegisterProviderAsync(anonymous, "local-pool", wallet, cancellationToken);
        Depin.ServiceDefaults.Storage.DurableFiles.WriteAtomically(file, stream =>
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            JsonSerializer.Serialize(stream, registration);
        });
        return registration;
    }

    /// <summary>Registers a provider the way a wallet owner does: fetch a challenge, sign it (EIP-191), register with the signature.</summary>
    public static async Task<ProviderRegistration> RegisterProviderAsync(HttpClient anonymous, string name, LocalKeyFile wallet, CancellationToken cancellationToken)
    {
        var address = wallet.Address.ToString();
        using var response = await anonymous.PostAsJsonAsync("/api/wallets/challenges", new WalletChallengeRequest(address), cancellationToken);
        response.EnsureSuccessStatusCode();
        var challenge = (await response.Content.ReadFromJsonAsync<WalletChallengeDto>(cancellationToken))!;
        return await RestService.For<IMarketplaceApi>(anonymous)
            .RegisterProviderAsync(new RegisterProviderRequest(name, address, wallet.SignChallenge(challenge.Message)), cancellationToken);
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
