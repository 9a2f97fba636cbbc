using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Depin.Chain;

/// <summary>A local anvil dev node on a free 127.0.0.1 port, killed on dispose. Chain id 31337, ten funded unlocked accounts.</summary>
public sealed class AnvilNode : IAsyncDisposable
{
    /// <summary>Private keys of anvil's default accounts 0..2 (the public "test test ... junk" mnemonic). Never use them off a dev chain.</summary>
    public static IReadOnlyList<string> DefaultPrivateKeys { get; } =
    [
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    ];

    private readonly Process _process;

    private AnvilNode(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts anvil (found by <see cref="ChainTools.FindAnvil"/> unless given) and waits until it answers eth_chainId.</summary>
    public static async Task<AnvilNode> StartAsync(string? anvilPath = null, TimeSpan? startTimeout = null, CancellationToken cancellationToken = default)
    {
        string path = anvilPath ?? ChainTools.FindAnvil();
        int port = FreePort();
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"{path} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new AnvilNode(process, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await node.WaitUntilReadyAsync(startTimeout ?? TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var rpc = new Nethereum.JsonRpc.Client.RpcClient(Endpoint, http, null, null, null);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"anvil exited with code {_process.ExitCode} before answering on {Endpoint}.");
            }

            try
            {
                await rpc.SendRequestAsync<string>("eth_chainId", null).WaitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcClientTimeoutException && stopwatch.Elapsed < timeout)
            {
            }
            catch (TaskCanceledException) when (stopwatch.Elapsed < timeout && !cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
