using System.Diagnostics;

namespace Depin.Testing;

/// <summary>
/// A throw-away PostgreSQL 15 cluster (apt package postgresql): initdb into a temp directory owned by the postgres user,
/// started on a loopback port of its own with trust auth, stopped and deleted on dispose.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private readonly string _directory;

    private PostgresServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true";

    public static async Task<PostgresServer> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("depin-pg-").FullName;
        var server = new PostgresServer(directory, ChildHost.FreePort());
        await RunAsync("chown", "postgres", directory);
        await RunAsync("su", "postgres", "-c",
            $"{BinDirectory}/initdb -D {directory} -U postgres --auth=trust >/dev/null && {BinDirectory}/pg_ctl -D {directory} -o '-c listen_addresses=127.0.0.1 -p {server.Port} -k {directory}' -l {directory}/log -w start >/dev/null");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("su", "postgres", "-c", $"{BinDirectory}/pg_ctl -D {_directory} -m immediate -w stop >/dev/null");
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
        }
    }
}
