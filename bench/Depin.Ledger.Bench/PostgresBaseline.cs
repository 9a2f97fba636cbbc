using System.Diagnostics;
using Npgsql;

namespace Depin.Ledger.Bench;

/// <summary>
/// What a user would otherwise pick: the same transfers as SQL transactions (two guarded UPDATEs, durable commit) on a
/// throw-away local PostgreSQL cluster started for the run.
/// </summary>
internal sealed class PostgresBaseline : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _directory;
    private readonly int _port;

    private PostgresBaseline(string directory, int port)
    {
        _directory = directory;
        _port = port;
    }

    public static bool Available => File.Exists(Path.Combine(Bin, "initdb"));

    public static async Task<PostgresBaseline> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("depin-bench-pg-").FullName;
        var port = 15_000 + Random.Shared.Next(5_000);
        Run("chown", $"postgres {directory}");
        RunAsPostgres($"{Bin}/initdb -D {directory}/data -U postgres --auth=trust >/dev/null");
        RunAsPostgres($"{Bin}/pg_ctl -D {directory}/data -o \"-c listen_addresses=127.0.0.1 -p {port} -k {directory} -c max_connections=50 -c shared_buffers=256MB\" -l {directory}/log -w start >/dev/null");
        var baseline = new PostgresBaseline(directory, port);
        await baseline.ExecuteAsync("CREATE TABLE accounts (id integer PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0))");
        return baseline;
    }

    private string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Pooling=true;Maximum Pool Size=40;No Reset On Close=true";

    public async Task SeedAsync(int accounts, long balance) =>
        await ExecuteAsync($"INSERT INTO accounts SELECT g, {balance} FROM generate_series(0, {accounts - 1}) g");

    /// <summary>Transfers per second with <paramref name="connections"/> concurrent clients for about <paramref name="seconds"/>.</summary>
    public async Task<double> TransfersAsync(int accounts, int connections, double seconds)
    {
        var count = 0L;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
        {
            var random = new Random(worker);
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var debit = new NpgsqlCommand("UPDATE accounts SET balance = balance - @a WHERE id = @id AND balance >= @a", connection);
            await using var credit = new NpgsqlCommand("UPDATE accounts SET balance = balance + @a WHERE id = @id", connection);
            debit.Parameters.Add(new NpgsqlParameter<long>("a", 0L));
            debit.Parameters.Add(new NpgsqlParameter<int>("id", 0));
            credit.Parameters.Add(new NpgsqlParameter<long>("a", 0L));
            credit.Parameters.Add(new NpgsqlParameter<int>("id", 0));
            await debit.PrepareAsync();
            await credit.PrepareAsync();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var from = random.Next(accounts);
                var to = (from + 1 + random.Next(accounts - 1)) % accounts;
                long amount = 1 + random.Next(100);
                await using var transaction = await connection.BeginTransactionAsync();
                ((NpgsqlParameter<long>)debit.Parameters[0]).TypedValue = amount;
                ((NpgsqlParameter<int>)debit.Parameters[1]).TypedValue = from;
                ((NpgsqlParameter<long>)credit.Parameters[0]).TypedValue = amount;
                ((NpgsqlParameter<int>)credit.Parameters[1]).TypedValue = to;
                debit.Transaction = transaction;
                credit.Transaction = transaction;
                if (await debit.ExecuteNonQueryAsync() == 1)
                {
                    await credit.ExecuteNonQueryAsync();
                }

                await transaction.CommitAsync();
                Interlocked.Increment(ref count);
            }
        }));
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        RunAsPostgres($"{Bin}/pg_ctl -D {_directory}/data -m immediate stop >/dev/null");
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static void RunAsPostgres(string command) => Run("su", $"postgres -c \"{command.Replace("\"", "\\\"")}\"");

    private static void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", $"{file} {arguments}"]) { UseShellExecute = false })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' failed with {process.ExitCode}");
        }
    }
}
