using System.Net.Http.Json;
using Depin.Contracts.Marketplace;
using Depin.Testing;
using Refit;

namespace Depin.AllInOne.IntegrationTests;

/// <summary>
/// The real all-in-one host (depin-apphost) in a child process on free loopback ports, with its own data directory and
/// its own PostgreSQL (started by the host, as a user runs it). It can be killed and started again over the same data.
/// </summary>
public sealed class AllInOneHost : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key";

    private readonly Dictionary<string, string> _environment;
    private readonly string _directory;
    private ChildHost? _host;

    public AllInOneHost()
        : this(null)
    {
    }

    /// <summary>A host with <paramref name="settings"/> (environment variable names) on top of the defaults.</summary>
    internal AllInOneHost(IDictionary<string, string>? settings)
    {
        _directory = System.IO.Directory.CreateTempSubdirectory("depin-apphost-it-").FullName;
        // PostgreSQL runs as the postgres user when the tests run as root: it must reach its data directory.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_directory, (UnixFileMode)0b111_101_101);
        }
        _environment = new Dictionary<string, string>
        {
            ["Ledger__DataDirectory"] = Path.Combine(_directory, "ledger"),
            ["Marketplace__ContentDirectory"] = Path.Combine(_directory, "content"),
            ["Marketplace__SiloPort"] = ChildHost.FreePort().ToString(),
            ["Marketplace__GatewayPort"] = ChildHost.FreePort().ToString(),
            ["Admin__ApiKey"] = AdminKey,
            ["LocalChain__Enabled"] = "false",
            ["LocalPostgres__DataDirectory"] = Path.Combine(_directory, "postgres"),
            ["LocalPostgres__Port"] = ChildHost.FreePort().ToString(),
            ["Pool__WalletKeyFile"] = Path.Combine(_directory, "pool-wallet.json"),

            // Epoch 0 starts now, so no epoch closes (and no reward is credited to the pool) while a test runs; aligned
            // to the clock hour instead, a run that crosses one saw 10^9 micro-credits of rewards in the money it counts.
            ["Rewards__Genesis"] = DateTimeOffset.UtcNow.ToString("O"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _environment[key] = value;
        }
    }

    /// <summary>The host's own data directory (temporary, removed on dispose).</summary>
    public string Directory => _directory;

    public HttpClient Http => _host!.Http;

    /// <summary>What the host printed so far.</summary>
    public string Output => _host!.Output;

    public string PostgresDirectory => _environment["LocalPostgres__DataDirectory"];

    public int PostgresPort => int.Parse(_environment["LocalPostgres__Port"], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The marketplace API of the running host, as the caller with <paramref name="key"/> (anonymous without one).</summary>
    public IMarketplaceApi Api(string? key = null)
    {
        var http = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return RestService.For<IMarketplaceApi>(http);
    }

    /// <summary>Registers a provider as the CLI does: a new wallet key signs the rewards service's challenge (EIP-191).</summary>
    public async Task<(IMarketplaceApi Api, ProviderRegistration Registration)> RegisterProviderAsync(string name)
    {
        var wallet = Depin.Chain.LocalKeyFile.Create(Path.Combine(_directory, $"wallet-{Guid.NewGuid():N}.json"));
        var address = wallet.Address.ToString();
        using var response = await Http.PostAsJsonAsync("/api/wallets/challenges", new Depin.Contracts.Rewards.WalletChallengeRequest(address));
        response.EnsureSuccessStatusCode();
        var challenge = (await response.Content.ReadFromJsonAsync<Depin.Contracts.Rewards.WalletChallengeDto>())!;
        var registration = await Api().RegisterProviderAsync(new RegisterProviderRequest(name, address, wallet.SignChallenge(challenge.Message)));
        return (Api(registration.ApiKey), registration);
    }

    /// <summary>Polls the job until it reaches <paramref name="status"/> (at most 60 s) and returns its last view.</summary>
    public static async Task<JobView> WaitForStatusAsync(IMarketplaceApi api, string jobId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var job = await api.GetJobAsync(jobId);
        while (job.Status != status && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            job = await api.GetJobAsync(jobId);
        }

        return job;
    }

    public async Task InitializeAsync() => await StartAsync();

    /// <summary>Starts the host (again) over the same data directory and ports.</summary>
    public async Task StartAsync() => _host = await ChildHost.StartAsync("depin-allinone.dll", _environment, workingDirectory: _directory);

    /// <summary>Sets (or, with null, removes) an environment variable of the next start.</summary>
    public void SetEnvironment(string key, string? value)
    {
        if (value is null)
        {
            _environment.Remove(key);
        }
        else
        {
            _environment[key] = value;
        }
    }

    /// <summary>Waits for the host to end by itself (a fault point); false when it still runs after <paramref name="timeout"/>.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _host!.WaitForExitAsync(timeout);

    /// <summary>SIGKILL of the host process tree.</summary>
    public void Kill() => _host!.Kill();

    /// <summary>SIGTERM, as Ctrl+C: the exit code, or null when the host did not stop within <paramref name="timeout"/>.</summary>
    public Task<int?> StopAsync(TimeSpan timeout) => _host!.StopAsync(timeout);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync(TimeSpan.FromSeconds(20));
            await _host.DisposeAsync();
        }

        StopLeftoverPostgres();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A PostgreSQL still running on the data directory (a killed host leaves it for the next start to reuse) is stopped.</summary>
    private void StopLeftoverPostgres()
    {
        var pidFile = Path.Combine(PostgresDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), out var pid))
        {
            return;
        }

        try
        {
            using var postmaster = System.Diagnostics.Process.GetProcessById(pid);
            postmaster.Kill();
            postmaster.WaitForExit(10_000);
        }
        catch (ArgumentException)
        {
        }
    }
}
