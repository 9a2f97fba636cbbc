using System.Net;
using System.Net.Sockets;

namespace Depin.Rewards.IntegrationTests.Support;

/// <summary>
/// A throw-away PostgreSQL 15 cluster: initdb into a temp directory owned by the postgres user, pg_ctl start on a free
/// loopback port (trust auth), stopped and deleted at the end. Needs the apt package postgresql (./test.sh installs it).
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private string? _dataDirectory;

    public int Port { get; private set; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true";

    /// <summary>A new, empty database on this cluster (one per test keeps their tables apart); its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "test_" + Guid.NewGuid().ToString("N");
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public Task InitializeAsync()
    {
        string initdb = Path.Combine(BinDirectory, "initdb");
        if (!File.Exists(initdb))
        {
            throw new InvalidOperationException($"{initdb} is missing: install PostgreSQL 15 (apt-get install -y postgresql; ./test.sh does it).");
        }

        _dataDirectory = Directory.CreateTempSubdirectory("depin-rewards-pg-").FullName;
        ProcessRunner.Run("chown", ["postgres", _dataDirectory]);
        Port = FreePort();
        string d = _dataDirectory;
        ProcessRunner.Run("su", ["postgres", "-c",
            $"{initdb} -D {d} -U postgres --auth=trust >/dev/null && {BinDirectory}/pg_ctl -D {d} -o '-c listen_addresses=127.0.0.1 -p {Port} -k {d}' -l {d}/log -w start >/dev/null"],
            timeoutMs: 120_000);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        if (_dataDirectory is not null)
        {
            try
            {
                ProcessRunner.Run("su", ["postgres", "-c", $"{BinDirectory}/pg_ctl -D {_dataDirectory} -m immediate -w stop >/dev/null"], timeoutMs: 60_000);
            }
            finally
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
        }

        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}

/// <summary>Hosts whose Hangfire server must own the process-wide JobStorage.Current: run alone, after the parallel collections.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SchedulerCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "scheduler";
}
