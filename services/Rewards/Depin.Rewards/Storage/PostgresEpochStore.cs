using Depin.Chain;
using Depin.Rewards.Emission;
using Depin.Rewards.Epochs;
using Npgsql;
using NpgsqlTypes;

namespace Depin.Rewards.Storage;

/// <summary>
/// <see cref="IEpochStore"/> on PostgreSQL: tables rewards_meta, rewards_epochs and rewards_payouts, created on first use
/// (under an advisory lock, so several instances may start together). Payouts are written with binary COPY in the same
/// transaction as their epoch row, so an epoch is either fully computed or absent.
/// </summary>
public sealed class PostgresEpochStore : IEpochStore, IAsyncDisposable
{
    private const long SchemaLockKey = 0x5245_5741_5244_5331; // "REWARDS1"

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS rewards_meta (
            key text PRIMARY KEY,
            value text NOT NULL);
        CREATE TABLE IF NOT EXISTS rewards_epochs (
            epoch bigint PRIMARY KEY,
            start_at timestamptz NOT NULL,
            end_at timestamptz NOT NULL,
            emission bigint NOT NULL,
            availability_pool bigint NOT NULL,
            work_pool bigint NOT NULL,
            unallocated bigint NOT NULL,
            provider_count integer NOT NULL,
            merkle_root text NULL,
            status smallint NOT NULL,
            credit_attempt integer NOT NULL DEFAULT 0,
            anchor_tx text NULL,
            computed_at timestamptz NOT NULL,
            closed_at timestamptz NULL);
        ALTER TABLE rewards_epochs ADD COLUMN IF NOT EXISTS work_units bigint NOT NULL DEFAULT 0;
        CREATE TABLE IF NOT EXISTS rewards_payouts (
            epoch bigint NOT NULL REFERENCES rewards_epochs (epoch),
            account bytea NOT NULL,
            availability bigint NOT NULL,
            work bigint NOT NULL,
            PRIMARY KEY (epoch, account));
        CREATE INDEX IF NOT EXISTS rewards_payouts_by_account ON rewards_payouts (account, epoch DESC);
        """;

    private const string EpochColumns =
        "epoch, start_at, end_at, emission, availability_pool, work_pool, unallocated, provider_count, merkle_root, status, credit_attempt, anchor_tx, computed_at, closed_at, work_units";

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    public PostgresEpochStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>Creates the tables if they are missing (also done lazily by every call).</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using NpgsqlTransaction tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLockKey})", connection, tx))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var create = new NpgsqlCommand(Schema, connection, tx))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    public async Task<DateTimeOffset> GetOrInitializeGenesisAsync(DateTimeOffset proposed, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO rewards_meta (key, value) VALUES ('genesis', @value) ON CONFLICT (key) DO NOTHING; SELECT value FROM rewards_meta WHERE key = 'genesis'",
            connection);
        command.Parameters.AddWithValue("value", proposed.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string stored = (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new DateTimeOffset(long.Parse(stored, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero);
    }

    public async Task<EpochRecord> SaveComputedAsync(EpochRecord record, IReadOnlyList<ProviderReward> rewards, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(rewards);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO rewards_epochs ({EpochColumns}) VALUES (@epoch, @start, @end, @emission, @ap, @wp, @un, @count, @root, @status, @attempt, @anchor, @computed, @closed, @units) ON CONFLICT (epoch) DO NOTHING",
            connection, tx))
        {
            insert.Parameters.AddWithValue("epoch", record.Epoch);
            insert.Parameters.AddWithValue("start", record.Start.ToUniversalTime());
            insert.Parameters.AddWithValue("end", record.End.ToUniversalTime());
            insert.Parameters.AddWithValue("emission", record.Emission);
            insert.Parameters.AddWithValue("ap", record.AvailabilityPool);
            insert.Parameters.AddWithValue("wp", record.WorkPool);
            insert.Parameters.AddWithValue("un", record.Unallocated);
            insert.Parameters.AddWithValue("count", record.ProviderCount);
            insert.Parameters.AddWithValue("root", (object?)record.MerkleRoot ?? DBNull.Value);
            insert.Parameters.AddWithValue("status", (short)record.Status);
            insert.Parameters.AddWithValue("attempt", record.CreditAttempt);
            insert.Parameters.AddWithValue("anchor", (object?)record.AnchorTransaction ?? DBNull.Value);
            insert.Parameters.AddWithValue("computed", record.ComputedAt.ToUniversalTime());
            insert.Parameters.AddWithValue("closed", record.ClosedAt is { } c ? c.ToUniversalTime() : DBNull.Value);
            insert.Parameters.AddWithValue("units", record.WorkUnits);
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return (await GetEpochAsync(record.Epoch, cancellationToken).ConfigureAwait(false))!;
            }
        }

        await using (NpgsqlBinaryImporter importer = await connection.BeginBinaryImportAsync(
            "COPY rewards_payouts (epoch, account, availability, work) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (ProviderReward reward in rewards)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(record.Epoch, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(reward.Account.ToArray(), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(reward.Availability, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(reward.Work, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return record;
    }

    public async Task<EpochRecord?> GetEpochAsync(long epoch, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<EpochRecord> records = await QueryEpochsAsync($"SELECT {EpochColumns} FROM rewards_epochs WHERE epoch = @epoch", cancellationToken, ("epoch", epoch)).ConfigureAwait(false);
        return records.Count == 0 ? null : records[0];
    }

    public Task<IReadOnlyList<EpochRecord>> ListEpochsAsync(long? before, int take, CancellationToken cancellationToken = default) =>
        QueryEpochsAsync(
            $"SELECT {EpochColumns} FROM rewards_epochs WHERE epoch < @before ORDER BY epoch DESC LIMIT @take",
            cancellationToken,
            ("before", before ?? long.MaxValue),
            ("take", take));

    public async Task<long> NextEpochToCloseAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"SELECT COALESCE((SELECT min(epoch) FROM rewards_epochs WHERE status < {(int)EpochStatus.Published}), (SELECT max(epoch) + 1 FROM rewards_epochs), 0)",
            connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<ProviderReward>> GetRewardsAsync(long epoch, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT account, availability, work FROM rewards_payouts WHERE epoch = @epoch ORDER BY account", connection);
        command.Parameters.AddWithValue("epoch", epoch);
        var rewards = new List<ProviderReward>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rewards.Add(new ProviderReward(new Address(reader.GetFieldValue<byte[]>(0)), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return rewards;
    }

    public async Task<ProviderReward?> GetRewardAsync(long epoch, Address account, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT availability, work FROM rewards_payouts WHERE epoch = @epoch AND account = @account", connection);
        command.Parameters.AddWithValue("epoch", epoch);
        command.Parameters.AddWithValue("account", account.ToArray());
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new ProviderReward(account, reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    public async Task<ProviderRewardHistory> GetProviderRewardsAsync(Address account, int take, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The lifetime sums are window aggregates over every row of the account, taken before LIMIT keeps the newest.
        await using var command = new NpgsqlCommand(
            $"""
            SELECT p.epoch, p.availability, p.work, e.status >= {(int)EpochStatus.Credited} AS credited,
                   COALESCE(sum(p.availability + p.work) FILTER (WHERE e.status >= {(int)EpochStatus.Credited}) OVER (), 0),
                   COALESCE(sum(p.availability + p.work) FILTER (WHERE e.status < {(int)EpochStatus.Credited}) OVER (), 0)
            FROM rewards_payouts p JOIN rewards_epochs e ON e.epoch = p.epoch
            WHERE p.account = @account ORDER BY p.epoch DESC LIMIT @take
            """,
            connection);
        command.Parameters.AddWithValue("account", account.ToArray());
        command.Parameters.AddWithValue("take", take);
        var epochs = new List<ProviderEpochReward>();
        long credited = 0, pending = 0;
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            epochs.Add(new ProviderEpochReward(reader.GetInt64(0), new ProviderReward(account, reader.GetInt64(1), reader.GetInt64(2)), reader.GetBoolean(3)));
            (credited, pending) = ((long)reader.GetDecimal(4), (long)reader.GetDecimal(5));
        }

        return new ProviderRewardHistory(epochs, credited, pending);
    }

    public async Task AdvanceAsync(long epoch, EpochStatus status, string? anchorTransaction = null, DateTimeOffset? closedAt = null, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            UPDATE rewards_epochs SET status = @status,
                anchor_tx = COALESCE(@anchor, anchor_tx),
                closed_at = COALESCE(@closed, closed_at)
            WHERE epoch = @epoch AND status < @status
            """,
            connection);
        command.Parameters.AddWithValue("epoch", epoch);
        command.Parameters.AddWithValue("status", (short)status);
        command.Parameters.Add(new NpgsqlParameter("anchor", NpgsqlDbType.Text) { Value = (object?)anchorTransaction ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("closed", NpgsqlDbType.TimestampTz) { Value = closedAt is { } c ? c.ToUniversalTime() : DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> IncrementCreditAttemptAsync(long epoch, int expectedAttempt, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "UPDATE rewards_epochs SET credit_attempt = credit_attempt + 1 WHERE epoch = @epoch AND credit_attempt = @expected; SELECT credit_attempt FROM rewards_epochs WHERE epoch = @epoch",
            connection);
        command.Parameters.AddWithValue("epoch", epoch);
        command.Parameters.AddWithValue("expected", expectedAttempt);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task<IReadOnlyList<EpochRecord>> QueryEpochsAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var records = new List<EpochRecord>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new EpochRecord(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetInt64(3),
                reader.GetInt64(4),
                reader.GetInt64(5),
                reader.GetInt64(6),
                reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                (EpochStatus)reader.GetInt16(9),
                reader.GetInt32(10),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.GetFieldValue<DateTimeOffset>(12),
                reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13)) { WorkUnits = reader.GetInt64(14) });
        }

        return records;
    }
}
