using Depin.ServiceDefaults.Storage;
using Depin.Marketplace.Infrastructure;
using Npgsql;

namespace Depin.Marketplace.Persistence;

/// <summary>
/// Job specifications and results in PostgreSQL (table marketplace_content, hash → bytes), so that every marketplace
/// replica reads what any of them stored: the replica that accepts a submission, the silo that hosts the job's grain and
/// the one that serves the worker's lease are not the same process. A put returns once its transaction committed; the
/// puts made at the same moment share one statement and one commit (<see cref="MaxInFlight"/> at once, the rest wait for
/// the next), so a busy marketplace writes a few rows per round trip and per WAL flush instead of one.
/// </summary>
public sealed class PostgresContentStore : IContentStore
{
    /// <summary>Insert statements in flight at once.</summary>
    public const int MaxInFlight = 4;

    /// <summary>The most rows one statement inserts.</summary>
    public const int MaxRows = 256;

    private const string Schema = "CREATE TABLE IF NOT EXISTS marketplace_content (hash bytea PRIMARY KEY, bytes bytea NOT NULL)";
    private const string Insert =
        "INSERT INTO marketplace_content (hash, bytes) SELECT * FROM unnest($1::bytea[], $2::bytea[]) ON CONFLICT (hash) DO NOTHING";

    private readonly NpgsqlDataSource _database;
    private readonly SemaphoreSlim _created = new(1, 1);
    private readonly BatchingQueue<PendingPut> _puts;
    private volatile bool _ready;

    public PostgresContentStore(NpgsqlDataSource database)
    {
        _database = database;
        // Whatever went wrong with a statement, every put in it gets an answer.
        _puts = new(MaxInFlight, MaxRows, static _ => 1, InsertAsync, static (batch, ex) =>
        {
            foreach (var put in batch)
            {
                put.Committed.TrySetException(ex);
            }
        });
    }

    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(content.Span);
        await EnsureCreatedAsync(cancellationToken);
        var put = new PendingPut(hash, content);
        _puts.Add(put);
        await put.Committed.Task.WaitAsync(cancellationToken);
        return Convert.ToHexStringLower(hash);
    }

    public async Task<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default)
    {
        if (!ContentStore.IsHash(hash))
        {
            return null;
        }

        await EnsureCreatedAsync(cancellationToken);
        await using var command = _database.CreateCommand("SELECT bytes FROM marketplace_content WHERE hash = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Convert.FromHexString(hash) });
        var bytes = await command.ExecuteScalarAsync(cancellationToken) as byte[];
        return bytes is not null && ContentStore.HashOf(bytes).Equals(hash, StringComparison.OrdinalIgnoreCase) ? bytes : null;
    }

    private async Task InsertAsync(IReadOnlyList<PendingPut> batch)
    {
        // One row per hash: the same bytes put twice at once are one row (the table's key).
        var rows = batch.DistinctBy(p => Convert.ToHexString(p.Hash)).ToArray();
        // A put alone is part of its caller's trace; a shared statement belongs to no one caller's.
        System.Diagnostics.Activity.Current = batch.Count == 1 ? batch[0].Caller : null;
        await using var command = _database.CreateCommand(Insert);
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(p => p.Hash).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(p => p.Content.ToArray()).ToArray() });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
        foreach (var put in batch)
        {
            put.Committed.TrySetResult();
        }
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _created.WaitAsync(cancellationToken);
        try
        {
            if (!_ready)
            {
                await using var command = _database.CreateCommand(Schema);
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
                {
                    // Another replica created it at the same moment.
                }

                _ready = true;
            }
        }
        finally
        {
            _created.Release();
        }
    }

    private sealed record PendingPut(byte[] Hash, ReadOnlyMemory<byte> Content)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Diagnostics.Activity? Caller { get; } = System.Diagnostics.Activity.Current;
    }
}
