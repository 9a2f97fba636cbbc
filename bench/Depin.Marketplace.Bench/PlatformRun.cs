using System.Diagnostics;
using Depin.Testing;

namespace Depin.Marketplace.Bench;

/// <summary>
/// The platform as the README runs it (<c>dotnet run --project AppHost</c>, Release build): every service its own
/// process, PostgreSQL with fsync on, Redis, anvil, two marketplace replicas behind the gateway. The load goes to the
/// gateway, the public entry point. Stopped with Ctrl+C (SIGINT to its process group), as a user stops it.
/// </summary>
internal sealed class PlatformRun : IAsyncDisposable
{
    public const string AdminKey = "bench-platform-admin-key";

    private readonly Process _process;
    private readonly string _directory;

    private PlatformRun(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    public string Url => "http://127.0.0.1:5080";

    public static async Task<PlatformRun> StartAsync(string repositoryRoot, IEnumerable<string> extraSettings)
    {
        // The AppHost's gateway listens on 5080: a platform already running there would be measured instead of this one.
        try
        {
            using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 5080);
            probe.Start();
        }
        catch (System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException("Port 5080 is in use (a platform already running?): stop it first, the benchmark starts its own.");
        }

        var directory = Directory.CreateTempSubdirectory("depin-bench-platform-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        }
        string[] settings =
        [
            $"Platform:DataDirectory={directory}",
            $"Platform:PostgresPort={ChildHost.FreePort()}",
            $"Platform:RedisPort={ChildHost.FreePort()}",
            $"Platform:ChainPort={ChildHost.FreePort()}",
            "Platform:CanaryInterval=00:00:00",
            // The load generator is one client with a few keys; the default (600 requests per 10 s per key) would cap it.
            "Platform:RateLimitPermits=100000000",
            $"Parameters:admin-key={AdminKey}",
            .. extraSettings,
        ];

        // setsid: its own process group, so that Ctrl+C reaches the AppHost and everything it started, and nothing else.
        var start = new ProcessStartInfo("setsid", ["dotnet", "run", "-c", "Release", "--no-build", "--project", Path.Combine(repositoryRoot, "AppHost"), "--", .. settings])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repositoryRoot,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var run = new PlatformRun(process, directory);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(4))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The AppHost exited with {process.ExitCode} before the gateway answered.");
            }

            try
            {
                using var health = await http.GetAsync($"{run.Url}/health");
                if (health.IsSuccessStatusCode)
                {
                    return run;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(1_000);
        }

        await run.DisposeAsync();
        throw new TimeoutException("The platform's gateway did not answer /health within 4 minutes.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal("INT");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Signal("KILL");
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Signals the AppHost's whole process group (setsid made its process id the group's).</summary>
    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", "--", $"-{_process.Id}"]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }
}
