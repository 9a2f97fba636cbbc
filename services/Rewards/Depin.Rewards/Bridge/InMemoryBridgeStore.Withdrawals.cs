using System.Numerics;
using Depin.Chain;

namespace Depin.Rewards.Bridge;

/// <summary>The withdrawals half of the in-memory store.</summary>
public sealed partial class InMemoryBridgeStore : IWithdrawalStore
{
    private readonly Dictionary<string, WithdrawalRecord> _withdrawals = [];
    private readonly SortedDictionary<long, WithdrawalBatch> _batches = [];

    public Task<WithdrawalRecord> AddWithdrawalAsync(WithdrawalRecord withdrawal, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_withdrawals.TryAdd(withdrawal.Id, withdrawal) ? withdrawal : _withdrawals[withdrawal.Id]);
        }
    }

    public Task SetOutcomeAsync(string id, WithdrawalStatus status, long? ledgerHeight, string? reason, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_withdrawals.TryGetValue(id, out WithdrawalRecord? kept) && kept.Status == WithdrawalStatus.Requested)
            {
                _withdrawals[id] = kept with { Status = status, LedgerHeight = ledgerHeight, Reason = reason };
            }
        }

        return Task.CompletedTask;
    }

    public Task<WithdrawalRecord?> GetWithdrawalAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_withdrawals.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<WithdrawalRecord>> GetWithdrawalsAsync(Address ledgerAccount, int take, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WithdrawalRecord>>([.. _withdrawals.Values.Where(w => w.LedgerAccount == ledgerAccount).OrderByDescending(w => w.RequestedAt).Take(take)]);
        }
    }

    public Task<IReadOnlyList<WithdrawalRecord>> GetUnbatchedAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WithdrawalRecord>>([.. _withdrawals.Values
                .Where(w => w.Status == WithdrawalStatus.Requested || (w.Status == WithdrawalStatus.Debited && w.Batch is null))
                .OrderBy(w => w.RequestedAt)]);
        }
    }

    public Task<long> NextBatchNumberAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_batches.Count == 0 ? 0 : _batches.Keys.Max() + 1);
        }
    }

    public Task CreateBatchAsync(long number, Hash32 root, BigInteger total, IReadOnlyList<string> ids, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_batches.TryAdd(number, new WithdrawalBatch(number, root, total, WithdrawalBatchStatus.Computed, null, at)))
            {
                throw new InvalidOperationException($"Withdrawal batch {number} exists already.");
            }

            foreach (string id in ids)
            {
                _withdrawals[id] = _withdrawals[id] with { Batch = number };
            }
        }

        return Task.CompletedTask;
    }

    public Task AdvanceBatchAsync(long number, WithdrawalBatchStatus status, string? rootTransaction, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            WithdrawalBatch batch = _batches[number];
            _batches[number] = batch with { Status = status, RootTransaction = rootTransaction ?? batch.RootTransaction };
        }

        return Task.CompletedTask;
    }

    public Task<WithdrawalBatch?> GetBatchAsync(long number, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_batches.GetValueOrDefault(number));
        }
    }

    public Task<IReadOnlyList<WithdrawalBatch>> GetOpenBatchesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WithdrawalBatch>>([.. _batches.Values.Where(b => b.Status != WithdrawalBatchStatus.Released)]);
        }
    }

    public Task<IReadOnlyList<WithdrawalRecord>> GetBatchWithdrawalsAsync(long number, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WithdrawalRecord>>([.. _withdrawals.Values.Where(w => w.Batch == number).OrderBy(w => w.Id, StringComparer.Ordinal)]);
        }
    }
}
