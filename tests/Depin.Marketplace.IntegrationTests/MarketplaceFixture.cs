using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Ledger;
using Depin.Ledger.Api;
using Depin.Marketplace;
using Depin.ServiceDefaults;
using Depin.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Refit;

namespace Depin.Marketplace.IntegrationTests;

/// <summary>
/// The marketplace as the all-in-one host composes it (real ledger in a temp folder, real Orleans silo, Kestrel on
/// 127.0.0.1), with short lease and heartbeat timings, plus helpers to run in-process worker agents on the CPU accelerator.
/// </summary>
public sealed class MarketplaceFixture : IAsyncLifetime
{
    public const string AdminKey = "admin-test-key";
    public const int FeeBasisPoints = 250;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "depin-mkt-tests-" + Guid.NewGuid().ToString("N"));
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private WebApplication? _app;

    public MarketplaceFixture()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>
    /// A marketplace with <paramref name="settings"/> on top of the test defaults and <paramref name="services"/> applied
    /// after the ledger and the marketplace are added (not a shared fixture: a test class starts and stops it).
    /// </summary>
    internal MarketplaceFixture(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        _settings = settings;
        _services = services;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public ILedgerClient Ledger => Services.GetRequiredService<ILedgerClient>();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Marketplace:AdminApiKey"] = AdminKey,
            ["Marketplace:FeeBasisPoints"] = FeeBasisPoints.ToString(),
            ["Marketplace:LeaseDuration"] = "00:00:02",
            ["Marketplace:JobCheckInterval"] = "00:00:00.200",
            ["Marketplace:HeartbeatTimeout"] = "00:00:03",
            ["Marketplace:HeartbeatCheckInterval"] = "00:00:00.500",
            ["Marketplace:SettlementRetryInterval"] = "00:00:02",
            ["Marketplace:LeasePollInterval"] = "00:00:00.050",
            ["Marketplace:MaxAttempts"] = "3",
            // Canaries only where a test asks for them (CanaryTests): they would add jobs to every other test's workers.
            ["Marketplace:CanaryInterval"] = "00:00:00",
            ["Marketplace:RateLimitPermits"] = "100000",
            ["Marketplace:SiloPort"] = FreePort().ToString(),
            ["Marketplace:GatewayPort"] = FreePort().ToString(),
            ["Marketplace:ContentDirectory"] = Path.Combine(_directory, "content"),
            ["Ledger:DataDirectory"] = Path.Combine(_directory, "ledger"),
        });
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        builder.AddLedger();
        builder.AddMarketplace();
        _services?.Invoke(builder.Services);

        _app = builder.Build();
        _app.UseServiceDefaults();
        _app.MapLedgerApi();
        _app.MapMarketplaceApi();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public HttpClient Http(string? apiKey = null)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return http;
    }

    public IMarketplaceApi Api(string? apiKey = null) => RestService.ForGenerated<IMarketplaceApi>(Http(apiKey));

    public async Task<(IMarketplaceApi Api, CustomerRegistration Registration)> NewCustomerAsync(long funds)
    {
        var registration = await Api().RegisterCustomerAsync(new RegisterCustomerRequest("customer " + Guid.NewGuid().ToString("N")[..6]));
        var api = Api(registration.ApiKey);
        if (funds > 0)
        {
            await Api(AdminKey).AdminDepositAsync(new AdminDepositRequest(registration.CustomerId, funds));
        }

        return (api, registration);
    }

    public async Task<(IMarketplaceApi Api, ProviderRegistration Registration)> NewProviderAsync()
    {
        var wallet = "0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        var registration = await Api().RegisterProviderAsync(new RegisterProviderRequest("provider " + wallet[..8], wallet));
        return (Api(registration.ApiKey), registration);
    }

    public async Task<long> BalanceAsync(string address) => (await Ledger.GetAccountAsync(address)).Balance;

    /// <summary>Starts a worker agent on the CPU accelerator with short timings.</summary>
    public RunningAgent StartAgent(string providerKey, long askPricePerMegaUnit, Action<WorkerAgentOptions>? configure = null)
    {
        var options = new WorkerAgentOptions
        {
            Name = "agent " + Guid.NewGuid().ToString("N")[..6],
            AskPricePerMegaUnit = askPricePerMegaUnit,
            CpuOnly = true,
            BenchmarkScore = 1,
            LeaseWaitSeconds = 1,
            HeartbeatInterval = TimeSpan.FromMilliseconds(300),
            InitialRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryDelay = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(options);
        var agent = new WorkerAgent(Api(providerKey), options, Services.GetRequiredService<ILoggerFactory>().CreateLogger<WorkerAgent>());
        var stop = new CancellationTokenSource();
        return new RunningAgent(agent, stop, Task.Run(() => agent.RunAsync(stop.Token)));
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds; fails after <paramref name="timeout"/>.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}; last value: {JsonSerializer.Serialize(value)}");
            }

            await Task.Delay(50);
        }
    }

    public static Task<JobView> WaitForStatusAsync(IMarketplaceApi customer, string jobId, string status, TimeSpan? timeout = null) =>
        WaitForAsync(() => customer.GetJobAsync(jobId), j => j.Status == status, timeout, $"job {jobId} to be {status}");

    public static JsonElement MatMul(int size, ulong seed = 1) =>
        JsonSerializer.SerializeToElement(new { m = size, n = size, k = size, seed });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>An agent running in the background; disposing stops it gracefully (leases are given back).</summary>
public sealed class RunningAgent(WorkerAgent agent, CancellationTokenSource stop, Task run) : IAsyncDisposable
{
    public WorkerAgent Agent => agent;

    public Task Run => run;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class MarketplaceCollection : ICollectionFixture<MarketplaceFixture>
{
    public const string Name = "marketplace";
}
