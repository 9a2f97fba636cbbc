using Depin.Rewards.Emission;

namespace Depin.Rewards.Epochs;

/// <summary>How far an epoch's close has come. Each step is idempotent, and a rerun resumes at the first step not recorded.</summary>
public enum EpochStatus
{
    /// <summary>Amounts computed and persisted (the allocation never changes after this).</summary>
    Computed = 1,

    /// <summary>Every provider's reward-credit committed on the ledger.</summary>
    Credited = 2,

    /// <summary>Payout root set on the MerkleDistributor (or skipped: no chain, or nothing to claim).</summary>
    Anchored = 3,

    /// <summary>Epoch-closed event published; the epoch is done.</summary>
    Published = 4,
}

/// <summary>A persisted epoch: window, pools, payout root and close progress. Amounts in micro-credits.</summary>
public sealed record EpochRecord(
    long Epoch,
    DateTimeOffset Start,
    DateTimeOffset End,
    long Emission,
    long AvailabilityPool,
    long WorkPool,
    long Unallocated,
    int ProviderCount,
    string? MerkleRoot,
    EpochStatus Status,
    int CreditAttempt,
    string? AnchorTransaction,
    DateTimeOffset ComputedAt,
    DateTimeOffset? ClosedAt)
{
    public long Distributed => Emission - Unallocated;

    /// <summary>The work units counted for the epoch (all providers, before any forfeit).</summary>
    public long WorkUnits { get; init; }

    public static EpochRecord From(EpochAllocation allocation, EpochWindow window, string? merkleRoot, DateTimeOffset computedAt) =>
        new(allocation.Epoch, window.Start, window.End, allocation.Emission, allocation.AvailabilityPool, allocation.WorkPool,
            allocation.Unallocated, allocation.Rewards.Count, merkleRoot, EpochStatus.Computed, 0, null, computedAt, null);
}

/// <summary>A provider's reward in a given epoch.</summary>
public readonly record struct ProviderEpochReward(long Epoch, ProviderReward Reward, bool Credited);

/// <summary>
/// A provider's reward history, newest first: <see cref="Credited"/> sums the epochs whose credits committed on the
/// ledger, <see cref="Pending"/> those computed and not yet credited.
/// </summary>
public sealed record ProviderRewardHistory(IReadOnlyList<ProviderEpochReward> Epochs, long Credited, long Pending);
