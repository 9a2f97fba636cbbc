using System.Numerics;
using Depin.Chain;
using Npgsql;

namespace Depin.Rewards.Bridge;

/// <summary>
/// <see cref="IBridgeStore"/> and <see cref="IWithdrawalStore"/> on PostgreSQL (tables bridge_cursor, bridge_blocks, bridge_deposits,
/// bridge_withdrawals, bridge_withdrawal_batches, created on first use).
/// A scan's deposits, blocks and cursor commit in one transaction, so a crash leaves either the scan or nothing.
/// </summary>
public sealed partial class PostgresBridgeStore : IBridgeStore, IAsyncDisposable
{
    private const long SchemaLockKey = 0x4252_4944_4745_5331; // "BRIDGES1"

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS bridge_cursor (
            id smallint PRIMARY KEY CHECK (id = 1),
            next_block bigint NOT NULL);
        CREATE TABLE IF NOT EXISTS bridge_blocks (
            number bigint PRIMARY KEY,
            hash bytea NOT NULL);
        CREATE TABLE IF NOT EXISTS bridge_deposits (
            tx_hash bytea NOT NULL,
            log_index bigint NOT NULL,
            block_number bigint NOT NULL,
            block_hash bytea NOT NULL,
            sender bytea NOT NULL,
            ledger_account bytea NOT NULL,
            amount numeric(78, 0) NOT NULL,
            micro_credits bigint NOT NULL,
            status smallint NOT NULL,
            ledger_tx text NOT NULL,
            ledger_height bigint NULL,
            reason text NULL,
            seen_at timestamptz NOT NULL,
            credited_at timestamptz NULL,
            PRIMARY KEY (tx_hash, log_index));
        CREATE INDEX IF NOT EXISTS bridge_deposits_pending ON bridge_deposits (block_number) WHERE status = 0;
        CREATE INDEX IF NOT EXISTS bridge_deposits_by_account ON bridge_deposits (ledger_account, block_number DESC);
        CREATE TABLE IF NOT EXISTS bridge_withdrawals (
            id text PRIMARY KEY,
            ledger_account bytea NOT NULL,
            wallet bytea NOT NULL,
            micro_credits bigint NOT NULL,
            status smallint NOT NULL,
            ledger_height bigint NULL,
            reason text NULL,
            batch bigint NULL,
            requested_at timestamptz NOT NULL);
        CREATE INDEX IF NOT EXISTS bridge_withdrawals_unbatched ON bridge_withdrawals (requested_at) WHERE batch IS NULL AND status <> 2;
        CREATE INDEX IF NOT EXISTS bridge_withdrawals_by_account ON bridge_withdrawals (ledger_account, requested_at DESC);
        CREATE INDEX IF NOT EXISTS bridge_withdrawals_by_batch ON bridge_withdrawals (batch) WHERE batch IS NOT NULL;
        CREATE TABLE IF NOT EXISTS bridge_withdrawal_batches (
            number bigint PRIMARY KEY,
            root bytea NOT NULL,
            total numeric(78, 0) NOT NULL,
            status smallint NOT NULL,
            root_tx text NULL,
            created_at timestamptz NOT NULL);
        """;

    private const string Columns = "tx_hash, log_index, block_number, block_hash, sender, ledger_account, amount, micro_credits, status, ledger_tx, ledger_height, reason, seen_at, credited_at";

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    public PostgresBridgeStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public async Task<BridgeCursor?> GetCursorAsync(CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cursor = new NpgsqlCommand("SELECT next_block FROM bridge_cursor WHERE id = 1", connection);
        if (await cursor.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long next)
        {
            return null;
        }

        var blocks = new List<(ulong, Hash32)>();
        await using var command = new NpgsqlCommand("SELECT number, hash FROM bridge_blocks ORDER BY number", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            blocks.Add(((ulong)reader.GetInt64(0), new Hash32((byte[])reader[1])));
        }

        return new BridgeCursor((ulong)next, blocks);
    }

    public async Task SaveScanAsync(ulong nextBlock, IReadOnlyList<(ulong Number, Hash32 Hash)> blocks, IReadOnlyList<DepositRecord> deposits, int keepBlocks, CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach ((ulong number, Hash32 hash) in blocks)
        {
            await using var block = new NpgsqlCommand("INSERT INTO bridge_blocks (number, hash) VALUES ($1, $2) ON CONFLICT (number) DO UPDATE SET hash = EXCLUDED.hash", connection, tx);
            block.Parameters.AddWithValue((long)number);
            block.Parameters.AddWithValue(hash.ToArray());
            await block.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (DepositRecord d in deposits)
        {
            await using var insert = new NpgsqlCommand(
                $"""
                INSERT INTO bridge_deposits ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                ON CONFLICT (tx_hash, log_index) DO UPDATE SET block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash,
                    status = EXCLUDED.status, reason = NULL, seen_at = EXCLUDED.seen_at
                WHERE bridge_deposits.status = 2
                """, connection, tx);
            AddDeposit(insert, d);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var prune = new NpgsqlCommand("DELETE FROM bridge_blocks WHERE number < (SELECT coalesce(max(number), 0) FROM bridge_blocks) - $1", connection, tx))
        {
            prune.Parameters.AddWithValue((long)keepBlocks);
            await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var cursor = new NpgsqlCommand("INSERT INTO bridge_cursor (id, next_block) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET next_block = EXCLUDED.next_block", connection, tx))
        {
            cursor.Parameters.AddWithValue((long)nextBlock);
            await cursor.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RewindAsync(ulong fromBlock, CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (string sql in new[]
        {
            "DELETE FROM bridge_blocks WHERE number >= $1",
            "UPDATE bridge_deposits SET status = 2, reason = 'block ' || block_number || ' left the canonical chain' WHERE status = 0 AND block_number >= $1",
            "INSERT INTO bridge_cursor (id, next_block) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET next_block = least(bridge_cursor.next_block, EXCLUDED.next_block)",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection, tx);
            command.Parameters.AddWithValue((long)fromBlock);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<DepositRecord>> GetPendingAsync(CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM bridge_deposits WHERE status = 0 ORDER BY block_number, log_index", null, cancellationToken);

    public async Task CompleteAsync(Hash32 transactionHash, ulong logIndex, DepositStatus status, long? ledgerHeight, string? reason, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "UPDATE bridge_deposits SET status = $3, ledger_height = $4, reason = $5, credited_at = $6 WHERE tx_hash = $1 AND log_index = $2 AND status = 0", connection);
        command.Parameters.AddWithValue(transactionHash.ToArray());
        command.Parameters.AddWithValue((long)logIndex);
        command.Parameters.AddWithValue((short)status);
        command.Parameters.AddWithValue(ledgerHeight is { } h ? h : DBNull.Value);
        command.Parameters.AddWithValue(reason is null ? DBNull.Value : reason);
        command.Parameters.AddWithValue(at);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<DepositRecord>> GetByTransactionAsync(Hash32 transactionHash, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM bridge_deposits WHERE tx_hash = $1 ORDER BY log_index", c => c.Parameters.AddWithValue(transactionHash.ToArray()), cancellationToken);

    public Task<IReadOnlyList<DepositRecord>> GetByAccountAsync(Address ledgerAccount, int take, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM bridge_deposits WHERE ledger_account = $1 ORDER BY block_number DESC, log_index DESC LIMIT $2", c =>
        {
            c.Parameters.AddWithValue(ledgerAccount.ToArray());
            c.Parameters.AddWithValue(take);
        }, cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static void AddDeposit(NpgsqlCommand command, DepositRecord d)
    {
        command.Parameters.AddWithValue(d.TransactionHash.ToArray());
        command.Parameters.AddWithValue((long)d.LogIndex);
        command.Parameters.AddWithValue((long)d.BlockNumber);
        command.Parameters.AddWithValue(d.BlockHash.ToArray());
        command.Parameters.AddWithValue(d.From.ToArray());
        command.Parameters.AddWithValue(d.LedgerAccount.ToArray());
        command.Parameters.Add(new NpgsqlParameter { Value = d.Amount, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric });
        command.Parameters.AddWithValue(d.MicroCredits);
        command.Parameters.AddWithValue((short)d.Status);
        command.Parameters.AddWithValue(d.LedgerTransactionId);
        command.Parameters.AddWithValue(d.LedgerHeight is { } h ? h : DBNull.Value);
        command.Parameters.AddWithValue(d.Reason is null ? DBNull.Value : d.Reason);
        command.Parameters.AddWithValue(d.SeenAt);
        command.Parameters.AddWithValue(d.CreditedAt is { } c ? c : DBNull.Value);
    }

    private async Task<IReadOnlyList<DepositRecord>> QueryAsync(string sql, Action<NpgsqlCommand>? bind, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        bind?.Invoke(command);
        var deposits = new List<DepositRecord>();
        await using NpgsqlDataReader r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            deposits.Add(new DepositRecord(
                new Hash32((byte[])r[0]),
                (ulong)r.GetInt64(1),
                (ulong)r.GetInt64(2),
                new Hash32((byte[])r[3]),
                new Address((byte[])r[4]),
                new Address((byte[])r[5]),
                r.GetFieldValue<BigInteger>(6),
                r.GetInt64(7),
                (DepositStatus)r.GetInt16(8),
                r.GetString(9),
                r.IsDBNull(10) ? null : r.GetInt64(10),
                r.IsDBNull(11) ? null : r.GetString(11),
                r.GetFieldValue<DateTimeOffset>(12),
                r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13)));
        }

        return deposits;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_schemaReady)
        {
            await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_schemaReady)
                {
                    await using NpgsqlConnection setup = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                    await using NpgsqlTransaction tx = await setup.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await using (var gate = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLockKey})", setup, tx))
                    {
                        await gate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await using (var create = new NpgsqlCommand(Schema, setup, tx))
                    {
                        await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                    _schemaReady = true;
                }
            }
            finally
            {
                _schemaGate.Release();
            }
        }

        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }
}
