using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Depin.Contracts.Ledger;

namespace Depin.Ledger.IntegrationTests;

/// <summary>The real ledger host (depin-ledger) in a child process on a free loopback port, over a given data directory.</summary>
internal sealed class LedgerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private LedgerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public static async Task<LedgerProcess> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [HostAssembly(), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["Ledger__DataDirectory"] = dataDirectory;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var ledger = new LedgerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The ledger host exited with {process.ExitCode}:\n{output}");
            }

            try
            {
                using var response = await ledger.Http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return ledger;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The ledger host did not become healthy:\n{output}");
    }

    public async Task<SubmitTransactionsResponse> SubmitAsync(params LedgerTransactionDto[] transactions)
    {
        using var response = await Http.PostAsJsonAsync("/api/ledger/transactions", new SubmitTransactionsRequest(transactions));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SubmitTransactionsResponse>())!;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Http.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string HostAssembly()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "depin-ledger.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("depin-ledger.dll is not next to the tests; build Depin.Ledger.Host.", path);
    }
}
