using System.Numerics;
using Depin.Chain;

namespace Depin.Rewards.Bridge;

/// <summary>Where a withdrawal stands on the ledger.</summary>
public enum WithdrawalStatus
{
    /// <summary>Recorded; the ledger's answer is not known yet (a crash here is resolved from the ledger's receipt).</summary>
    Requested = 0,

    /// <summary>The ledger moved the credits to the bridge account; waiting for (or in) a batch.</summary>
    Debited = 1,

    /// <summary>The ledger refused it (for example, insufficient funds); nothing moved.</summary>
    Refused = 2,
}

/// <summary>A batch's progress: computed, its root set on the Vault, then released from the ledger's bridge account.</summary>
public enum WithdrawalBatchStatus
{
    Computed = 0,
    RootPublished = 1,
    Released = 2,
}

/// <summary>One withdrawal: <paramref name="MicroCredits"/> of <paramref name="LedgerAccount"/> to <paramref name="Wallet"/>, ledger transaction <paramref name="Id"/>.</summary>
public sealed record WithdrawalRecord(
    string Id,
    Address LedgerAccount,
    Address Wallet,
    long MicroCredits,
    WithdrawalStatus Status,
    long? LedgerHeight,
    string? Reason,
    long? Batch,
    DateTimeOffset RequestedAt);

/// <summary>A withdrawal batch: every debited withdrawal not yet batched, summed per wallet into one Merkle root on the Vault.</summary>
public sealed record WithdrawalBatch(long Number, Hash32 Root, BigInteger Total, WithdrawalBatchStatus Status, string? RootTransaction, DateTimeOffset CreatedAt);
