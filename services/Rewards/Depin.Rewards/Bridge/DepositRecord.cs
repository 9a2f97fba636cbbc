using System.Numerics;
using Depin.Chain;

namespace Depin.Rewards.Bridge;

/// <summary>Where a deposit stands.</summary>
public enum DepositStatus
{
    /// <summary>Seen in a block, waiting for its confirmations.</summary>
    Pending = 0,

    /// <summary>Credited on the ledger, exactly once.</summary>
    Credited = 1,

    /// <summary>Its block left the canonical chain before it was credited; never credited (a re-included copy is a new sighting).</summary>
    Orphaned = 2,

    /// <summary>The ledger refused the credit (for example, a reserved account); the reason is kept.</summary>
    Rejected = 3,
}

/// <summary>One Deposited log of the Vault, as the watcher saw it, and what became of it.</summary>
public sealed record DepositRecord(
    Hash32 TransactionHash,
    ulong LogIndex,
    ulong BlockNumber,
    Hash32 BlockHash,
    Address From,
    Address LedgerAccount,
    BigInteger Amount,
    long MicroCredits,
    DepositStatus Status,
    string LedgerTransactionId,
    long? LedgerHeight,
    string? Reason,
    DateTimeOffset SeenAt,
    DateTimeOffset? CreditedAt);

/// <summary>The watcher's durable position: the next block to scan and the hashes of the recent blocks it has read.</summary>
public sealed record BridgeCursor(ulong NextBlock, IReadOnlyList<(ulong Number, Hash32 Hash)> RecentBlocks);
