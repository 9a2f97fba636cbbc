using System.Diagnostics;
using System.Net.Sockets;

namespace Depin.Testing;

/// <summary>A real <c>redis-server</c> (apt) on a loopback port of its own, with AOF fsync on every write, in a temp directory.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(ChildHost.FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server again on the same port and data (after <see cref="Kill"/>).</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--bind", "127.0.0.1", "--port", Port.ToString(), "--dir", _directory.Path, "--appendonly", "yes", "--appendfsync", "always", "--save", "" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"redis-server did not listen on {Port}.");
    }

    /// <summary>SIGKILL, as a crash would.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            Kill();
        }

        _process?.Dispose();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
