using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Depin.AppHost.IntegrationTests;

/// <summary>The real all-in-one host (depin-apphost) in a child process on free loopback ports, with its own data directory.</summary>
public sealed class AllInOneHost : IAsyncLifetime
{
    private readonly StringBuilder _output = new();
    private Process? _process;
    private string _directory = "";

    public const string AdminKey = "test-admin-key";

    public HttpClient Http { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("depin-apphost-it-").FullName;
        var url = $"http://127.0.0.1:{FreePort()}";
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "depin-apphost.dll"), "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        info.Environment["Ledger__DataDirectory"] = Path.Combine(_directory, "ledger");
        info.Environment["Marketplace__ResultsDirectory"] = Path.Combine(_directory, "results");
        info.Environment["Marketplace__SiloPort"] = FreePort().ToString();
        info.Environment["Marketplace__GatewayPort"] = FreePort().ToString();
        info.Environment["Marketplace__AdminApiKey"] = AdminKey;
        info.Environment["Dashboard__AdminApiKey"] = AdminKey;
        info.Environment["LocalChain__Enabled"] = "false";
        info.Environment["Pool__WalletKeyFile"] = Path.Combine(_directory, "pool-wallet.json");
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"depin-apphost exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await Http.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"depin-apphost did not become healthy:\n{Output}");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Http.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
