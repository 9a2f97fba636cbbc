using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Depin.Contracts.Marketplace;
using Microsoft.Extensions.DependencyInjection;

namespace Depin.AppHost.IntegrationTests;

/// <summary>
/// The real AppHost (Aspire.Hosting.Testing): PostgreSQL, Redis and anvil from this machine's binaries, the ledger, two
/// marketplace replicas, rewards, the gateway and a worker pool, each its own process, on a data directory of its own and
/// free ports. One instance is shared by the tests of the collection; it is stopped (and everything it started) at the end.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public const string AdminKey = "apphost-test-admin-key";

    public const string DashboardApiKey = "apphost-test-dashboard-key";

    /// <summary>The dashboard's login token for a browser: open /login?t=this.</summary>
    public const string DashboardBrowserToken = "apphost-test-dashboard-browser-token";

    /// <summary>The Aspire dashboard (its telemetry API answers X-API-Key: <see cref="DashboardApiKey"/>).</summary>
    public Uri DashboardUrl { get; private set; } = null!;

    private static readonly string[] Services = ["ledger", "marketplace", "rewards", "gateway"];

    public DistributedApplication App { get; private set; } = null!;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("depin-aspire-it-").FullName;

    public DateTimeOffset StartedAt { get; private set; }

    public TimeSpan StartUp { get; private set; }

    public async Task InitializeAsync()
    {
        if (!OperatingSystem.IsWindows())
        {
            // PostgreSQL runs as the postgres user when the tests run as root: it must reach its data directory.
            File.SetUnixFileMode(DataDirectory, (UnixFileMode)0b111_101_101);
        }

        // The dashboard's telemetry API with a key of the test's: key-per-file settings that the AppHost forwards.
        var dashboardSettings = Directory.CreateDirectory(Path.Combine(DataDirectory, "dashboard-settings")).FullName;
        File.WriteAllText(Path.Combine(dashboardSettings, "Dashboard__Api__Enabled"), "true");
        File.WriteAllText(Path.Combine(dashboardSettings, "Dashboard__Api__AuthMode"), "ApiKey");
        File.WriteAllText(Path.Combine(dashboardSettings, "Dashboard__Api__PrimaryApiKey"), DashboardApiKey);
        File.WriteAllText(Path.Combine(dashboardSettings, "Dashboard__Frontend__AuthMode"), "BrowserToken");
        File.WriteAllText(Path.Combine(dashboardSettings, "Dashboard__Frontend__BrowserToken"), DashboardBrowserToken);
        Environment.SetEnvironmentVariable("ASPIRE_DASHBOARD_FILE_CONFIG_DIRECTORY", dashboardSettings);
        Environment.SetEnvironmentVariable("ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Depin_AppHost>(
        [
            $"Platform:DataDirectory={DataDirectory}",
            $"Platform:PostgresPort={FreePort()}",
            $"Platform:RedisPort={FreePort()}",
            $"Platform:ChainPort={FreePort()}",
            "Platform:EpochLength=00:00:15",
            // No canaries among the tests' jobs (CanaryTests in the marketplace's tests cover them).
            "Platform:CanaryInterval=00:00:00",
            // Every trace: the trace tests read one job's trace, and the tests' polling could spend a service's few
            // traces a second just before it starts (the limit itself: TraceSamplingTests in the service defaults' tests).
            "Platform:TracesPerSecond=0",
            $"Parameters:admin-key={AdminKey}",
        ], (options, _) => options.DisableDashboard = false);
        App = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await App.StartAsync(timeout.Token);
        foreach (var service in Services)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }

        await App.ResourceNotifications.WaitForResourceAsync("workers", KnownResourceStates.Running, timeout.Token);
        // Running is the process; ready is the pool's worker registered with the marketplace.
        var pool = await PoolProviderAsync();
        await WaitForAsync(() => Api(pool.ApiKey).GetProviderAsync(), p => p.Workers.Count > 0, TimeSpan.FromSeconds(120));
        var dashboard = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "aspire-dashboard");
        DashboardUrl = new Uri(((IResourceWithEndpoints)dashboard).GetEndpoints().First(e => e.EndpointName == "http").Url);
        StartUp = clock.Elapsed;
        StartedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The public entry point, as the caller with <paramref name="key"/>.</summary>
    public HttpClient Gateway(string? key = null)
    {
        var http = App.CreateHttpClient("gateway");
        http.Timeout = TimeSpan.FromSeconds(60);
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return http;
    }

    /// <summary>The ledger service itself, read with the admin key (its reads are not all public).</summary>
    public HttpClient Ledger()
    {
        var http = App.CreateHttpClient("ledger");
        http.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return http;
    }

    public IMarketplaceApi Api(string? key = null) => Refit.RestService.For<IMarketplaceApi>(Gateway(key));

    /// <summary>The provider the worker pool registered with its wallet (kept beside the key in the data directory).</summary>
    public async Task<ProviderRegistration> PoolProviderAsync()
    {
        var file = Path.Combine(DataDirectory, "pool-provider.json");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(file) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        return JsonSerializer.Deserialize<ProviderRegistration>(await File.ReadAllTextAsync(file))!;
    }

    public static async Task<T> GetAsync<T>(HttpClient http, string path) =>
        (await http.GetFromJsonAsync<T>(path))!;

    /// <summary>Reads until <paramref name="done"/> holds, and fails naming the last value read when it never does.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            value = await read();
        }

        Assert.True(done(value), $"not reached within {timeout}: {JsonSerializer.Serialize(value)}");
        return value;
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
