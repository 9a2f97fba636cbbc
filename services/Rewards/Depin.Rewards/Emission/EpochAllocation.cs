using Depin.Chain;

namespace Depin.Rewards.Emission;

/// <summary>One provider's reward for an epoch, in micro-credits.</summary>
public readonly record struct ProviderReward(Address Account, long Availability, long Work)
{
    public long Total => Availability + Work;
}

/// <summary>
/// The computed split of an epoch's emission. Invariant: Σ rewards.Total + <see cref="Unallocated"/> = <see cref="Emission"/>,
/// and <see cref="Unallocated"/> is non-zero only when nobody earned anything (it then stays in the reward pool).
/// Rewards are sorted by account and only hold providers with a positive total.
/// </summary>
public sealed record EpochAllocation(
    long Epoch,
    long Emission,
    long AvailabilityPool,
    long WorkPool,
    long Unallocated,
    IReadOnlyList<ProviderReward> Rewards)
{
    public long Distributed => Emission - Unallocated;
}
