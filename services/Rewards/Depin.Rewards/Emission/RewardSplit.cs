namespace Depin.Rewards.Emission;

/// <summary>How an epoch's emission divides between the availability pool and the work pool, in basis points.</summary>
public readonly record struct RewardSplit
{
    public const int FullBasisPoints = 10_000;

    public RewardSplit(int availabilityBasisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(availabilityBasisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(availabilityBasisPoints, FullBasisPoints);
        AvailabilityBasisPoints = availabilityBasisPoints;
    }

    /// <summary>Share of the emission for uptime × capability, in basis points; the rest is the work pool.</summary>
    public int AvailabilityBasisPoints { get; }

    /// <summary>Availability pool = floor(emission · bps / 10 000); the work pool takes the rest, so the two sum to the emission.</summary>
    public (long Availability, long Work) Divide(long emission)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(emission);
        long availability = (long)((Int128)emission * AvailabilityBasisPoints / FullBasisPoints);
        return (availability, emission - availability);
    }
}
