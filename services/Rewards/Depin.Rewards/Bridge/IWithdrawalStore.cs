using System.Numerics;
using Depin.Chain;

namespace Depin.Rewards.Bridge;

/// <summary>The withdrawals and their batches, durable. Every method is atomic.</summary>
public interface IWithdrawalStore
{
    /// <summary>Records a new withdrawal; one with the same id is kept as it is and returned instead.</summary>
    Task<WithdrawalRecord> AddWithdrawalAsync(WithdrawalRecord withdrawal, CancellationToken cancellationToken = default);

    /// <summary>The ledger's answer to a requested withdrawal; one no longer requested is left alone.</summary>
    Task SetOutcomeAsync(string id, WithdrawalStatus status, long? ledgerHeight, string? reason, CancellationToken cancellationToken = default);

    Task<WithdrawalRecord?> GetWithdrawalAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WithdrawalRecord>> GetWithdrawalsAsync(Address ledgerAccount, int take, CancellationToken cancellationToken = default);

    /// <summary>Requested withdrawals (outcome unknown) and debited ones not in a batch yet, oldest first.</summary>
    Task<IReadOnlyList<WithdrawalRecord>> GetUnbatchedAsync(CancellationToken cancellationToken = default);

    /// <summary>The number the next batch gets (one more than the last).</summary>
    Task<long> NextBatchNumberAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates batch <paramref name="number"/> with the debited, unbatched withdrawals <paramref name="ids"/>.</summary>
    Task CreateBatchAsync(long number, Hash32 root, BigInteger total, IReadOnlyList<string> ids, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task AdvanceBatchAsync(long number, WithdrawalBatchStatus status, string? rootTransaction, CancellationToken cancellationToken = default);

    Task<WithdrawalBatch?> GetBatchAsync(long number, CancellationToken cancellationToken = default);

    /// <summary>Batches not released yet, oldest first.</summary>
    Task<IReadOnlyList<WithdrawalBatch>> GetOpenBatchesAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WithdrawalRecord>> GetBatchWithdrawalsAsync(long number, CancellationToken cancellationToken = default);
}
