using Depin.ServiceDefaults.Storage;
using Npgsql;

namespace Depin.Marketplace.Persistence;

/// <summary>
/// Job specifications and results in PostgreSQL (table marketplace_content, hash → bytes), so that every marketplace
/// replica reads what any of them stored: the replica that accepts a submission, the silo that hosts the job's grain and
/// the one that serves the worker's lease are not the same process. A put returns once its transaction committed.
/// </summary>
public sealed class PostgresContentStore(NpgsqlDataSource database) : IContentStore
{
    private const string Schema = "CREATE TABLE IF NOT EXISTS marketplace_content (hash bytea PRIMARY KEY, bytes bytea NOT NULL)";
    private readonly SemaphoreSlim _created = new(1, 1);
    private volatile bool _ready;

    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(content.Span);
        await EnsureCreatedAsync(cancellationToken);
        await using var command = database.CreateCommand("INSERT INTO marketplace_content (hash, bytes) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        command.Parameters.Add(new NpgsqlParameter { Value = content });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return Convert.ToHexStringLower(hash);
    }

    public async Task<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default)
    {
        if (!ContentStore.IsHash(hash))
        {
            return null;
        }

        await EnsureCreatedAsync(cancellationToken);
        await using var command = database.CreateCommand("SELECT bytes FROM marketplace_content WHERE hash = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Convert.FromHexString(hash) });
        var bytes = await command.ExecuteScalarAsync(cancellationToken) as byte[];
        return bytes is not null && ContentStore.HashOf(bytes).Equals(hash, StringComparison.OrdinalIgnoreCase) ? bytes : null;
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
                await using var command = database.CreateCommand(Schema);
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
}
