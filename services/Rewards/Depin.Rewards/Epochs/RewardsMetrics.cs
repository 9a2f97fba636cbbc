using System.Diagnostics.Metrics;

namespace Depin.Rewards.Epochs;

/// <summary>The rewards service's business instruments (meter Depin.Rewards): epoch close duration and micro-credits credited per epoch.</summary>
public static class RewardsMetrics
{
    private static readonly Meter Meter = new("Depin.Rewards");

    private static readonly Histogram<double> CloseDuration = Meter.CreateHistogram<double>(
        "depin.rewards.epoch.close.duration", "ms", "An epoch close: compute, ledger credits, anchoring and the closed event.");

    private static readonly Histogram<long> PaidPerEpoch = Meter.CreateHistogram<long>(
        "depin.rewards.epoch.paid", "{micro-credit}", "Micro-credits credited to providers by one epoch's close.");

    private static readonly Counter<long> Paid = Meter.CreateCounter<long>(
        "depin.rewards.paid", "{micro-credit}", "Micro-credits credited to providers, all epochs.");

    public static void Closed(TimeSpan duration) => CloseDuration.Record(duration.TotalMilliseconds);

    public static void Credited(long microCredits)
    {
        PaidPerEpoch.Record(microCredits);
        Paid.Add(microCredits);
    }
}
