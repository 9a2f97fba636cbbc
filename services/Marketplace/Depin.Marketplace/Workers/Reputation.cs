namespace Depin.Marketplace.Workers;

/// <summary>
/// A worker's reputation: a success ratio over its lease outcomes, each weighted by how recent it is (the weights halve
/// every <see cref="MarketplaceOptions.ReputationHalfLife"/>). A verified result counts 1 good of 1; a failed verification
/// 5 of weight and nothing good; an expired lease 1 of weight and nothing good. A new worker starts from one good outcome
/// (reputation 1), so it is trusted until it has earned otherwise and recovers by doing good work as its failures fade.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Reputation(
    [property: Id(0)] double Good = 1,
    [property: Id(1)] double Weight = 1,
    [property: Id(2)] DateTimeOffset UpdatedAt = default)
{
    public const double FailedVerificationWeight = 5;

    /// <summary>The ratio at <paramref name="now"/>: the weighted share of good outcomes, 0..1.</summary>
    public double ValueAt(DateTimeOffset now, TimeSpan halfLife)
    {
        var (good, weight) = Decayed(now, halfLife);
        return weight <= 0 ? 1 : good / weight;
    }

    /// <summary>This reputation after <paramref name="outcome"/> at <paramref name="now"/>; outcomes that say nothing about the worker leave it as it is.</summary>
    public Reputation After(LeaseOutcome outcome, DateTimeOffset now, TimeSpan halfLife)
    {
        var (good, weight) = Decayed(now, halfLife);
        return outcome switch
        {
            LeaseOutcome.Verified => new Reputation(good + 1, weight + 1, now),
            LeaseOutcome.VerificationFailed => new Reputation(good, weight + FailedVerificationWeight, now),
            LeaseOutcome.Expired => new Reputation(good, weight + 1, now),
            _ => this,
        };
    }

    /// <summary>The weights at <paramref name="now"/>, the prior of one good outcome kept at full weight so that a long-idle worker returns to 1.</summary>
    private (double Good, double Weight) Decayed(DateTimeOffset now, TimeSpan halfLife)
    {
        if (UpdatedAt == default || halfLife <= TimeSpan.Zero || now <= UpdatedAt)
        {
            return (Good, Weight);
        }

        var factor = Math.Pow(0.5, (now - UpdatedAt) / halfLife);
        return (1 + ((Good - 1) * factor), 1 + ((Weight - 1) * factor));
    }
}
