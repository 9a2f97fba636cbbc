using System.Numerics;
using Depin.Chain;
using Npgsql;

namespace Depin.Rewards.Bridge;

/// <summary>The withdrawals half of the PostgreSQL store.</summary>
public sealed partial class PostgresBridgeStore : IWithdrawalStore
{
    private const string WithdrawalColumns = "id, ledger_account, wallet, micro_credits, status, ledger_height, reason, batch, requested_at";

    public async Task<WithdrawalRecord> AddWithdrawalAsync(WithdrawalRecord withdrawal, CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO bridge_withdrawals ({WithdrawalColumns}) VALUES ($1, $2, $3, $4, $5, NULL, NULL, NULL, $6) ON CONFLICT (id) DO NOTHING", connection);
        insert.Parameters.AddWithValue(withdrawal.Id);
        insert.Parameters.AddWithValue(withdrawal.LedgerAccount.ToArray());
        insert.Parameters.AddWithValue(withdrawal.Wallet.ToArray());
        insert.Parameters.AddWithValue(withdrawal.MicroCredits);
        insert.Parameters.AddWithValue((short)withdrawal.Status);
        insert.Parameters.AddWithValue(withdrawal.RequestedAt);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return await GetWithdrawalAsync(withdrawal.Id, cancellationToken).ConfigureAwait(false) ?? withdrawal;
    }

    public async Task SetOutcomeAsync(string id, WithdrawalStatus status, long? ledgerHeight, string? reason, CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = new NpgsqlCommand("UPDATE bridge_withdrawals SET status = $2, ledger_height = $3, reason = $4 WHERE id = $1 AND status = 0", connection);
        update.Parameters.AddWithValue(id);
        update.Parameters.AddWithValue((short)status);
        update.Parameters.AddWithValue(ledgerHeight is { } h ? h : DBNull.Value);
        update.Parameters.AddWithValue(reason is null ? DBNull.Value : reason);
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<WithdrawalRecord?> GetWithdrawalAsync(string id, CancellationToken cancellationToken = default) =>
        (await QueryWithdrawalsAsync($"SELECT {WithdrawalColumns} FROM bridge_withdrawals WHERE id = $1", c => c.Parameters.AddWithValue(id), cancellationToken).ConfigureAwait(false))
        .FirstOrDefault();

    public Task<IReadOnlyList<WithdrawalRecord>> GetWithdrawalsAsync(Address ledgerAccount, int take, CancellationToken cancellationToken = default) =>
        QueryWithdrawalsAsync($"SELECT {WithdrawalColumns} FROM bridge_withdrawals WHERE ledger_account = $1 ORDER BY requested_at DESC LIMIT $2", c =>
        {
            c.Parameters.AddWithValue(ledgerAccount.ToArray());
            c.Parameters.AddWithValue(take);
        }, cancellationToken);

    public Task<IReadOnlyList<WithdrawalRecord>> GetUnbatchedAsync(CancellationToken cancellationToken = default) =>
        QueryWithdrawalsAsync($"SELECT {WithdrawalColumns} FROM bridge_withdrawals WHERE batch IS NULL AND status <> 2 ORDER BY requested_at", null, cancellationToken);

    public async Task<long> NextBatchNumberAsync(CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var next = new NpgsqlCommand("SELECT coalesce(max(number) + 1, 0) FROM bridge_withdrawal_batches", connection);
        return (long)(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task CreateBatchAsync(long number, Hash32 root, BigInteger total, IReadOnlyList<string> ids, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var batch = new NpgsqlCommand("INSERT INTO bridge_withdrawal_batches (number, root, total, status, root_tx, created_at) VALUES ($1, $2, $3, 0, NULL, $4)", connection, tx))
        {
            batch.Parameters.AddWithValue(number);
            batch.Parameters.AddWithValue(root.ToArray());
            batch.Parameters.Add(new NpgsqlParameter { Value = total, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric });
            batch.Parameters.AddWithValue(at);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var assign = new NpgsqlCommand("UPDATE bridge_withdrawals SET batch = $1 WHERE id = ANY($2) AND batch IS NULL AND status = 1", connection, tx))
        {
            assign.Parameters.AddWithValue(number);
            assign.Parameters.AddWithValue(ids.ToArray());
            int assigned = await assign.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (assigned != ids.Count)
            {
                throw new InvalidOperationException($"Withdrawal batch {number}: {ids.Count - assigned} of its withdrawals are no longer debited and unbatched.");
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task AdvanceBatchAsync(long number, WithdrawalBatchStatus status, string? rootTransaction, CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = new NpgsqlCommand("UPDATE bridge_withdrawal_batches SET status = $2, root_tx = coalesce($3, root_tx) WHERE number = $1", connection);
        update.Parameters.AddWithValue(number);
        update.Parameters.AddWithValue((short)status);
        update.Parameters.AddWithValue(rootTransaction is null ? DBNull.Value : rootTransaction);
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<WithdrawalBatch?> GetBatchAsync(long number, CancellationToken cancellationToken = default) =>
        (await QueryBatchesAsync("WHERE number = $1", c => c.Parameters.AddWithValue(number), cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<WithdrawalBatch>> GetOpenBatchesAsync(CancellationToken cancellationToken = default) =>
        QueryBatchesAsync("WHERE status <> 2 ORDER BY number", null, cancellationToken);

    public Task<IReadOnlyList<WithdrawalRecord>> GetBatchWithdrawalsAsync(long number, CancellationToken cancellationToken = default) =>
        QueryWithdrawalsAsync($"SELECT {WithdrawalColumns} FROM bridge_withdrawals WHERE batch = $1 ORDER BY id", c => c.Parameters.AddWithValue(number), cancellationToken);

    private async Task<IReadOnlyList<WithdrawalRecord>> QueryWithdrawalsAsync(string sql, Action<NpgsqlCommand>? bind, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        bind?.Invoke(command);
        var withdrawals = new List<WithdrawalRecord>();
        await using NpgsqlDataReader r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            withdrawals.Add(new WithdrawalRecord(
                r.GetString(0),
                new Address((byte[])r[1]),
                new Address((byte[])r[2]),
                r.GetInt64(3),
                (WithdrawalStatus)r.GetInt16(4),
                r.IsDBNull(5) ? null : r.GetInt64(5),
                r.IsDBNull(6) ? null : r.GetString(6),
                r.IsDBNull(7) ? null : r.GetInt64(7),
                r.GetFieldValue<DateTimeOffset>(8)));
        }

        return withdrawals;
    }

    private async Task<IReadOnlyList<WithdrawalBatch>> QueryBatchesAsync(string where, Action<NpgsqlCommand>? bind, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT number, root, total, status, root_tx, created_at FROM bridge_withdrawal_batches {where}", connection);
        bind?.Invoke(command);
        var batches = new List<WithdrawalBatch>();
        await using NpgsqlDataReader r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            batches.Add(new WithdrawalBatch(
                r.GetInt64(0),
                new Hash32((byte[])r[1]),
                r.GetFieldValue<BigInteger>(2),
                (WithdrawalBatchStatus)r.GetInt16(3),
                r.IsDBNull(4) ? null : r.GetString(4),
                r.GetFieldValue<DateTimeOffset>(5)));
        }

        return batches;
    }
}
