using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Depin.Marketplace.Infrastructure;

/// <summary>
/// The marketplace's business instruments (meter Depin.Marketplace), charted by the Aspire dashboard: jobs by status,
/// submit→lease latency, workers online, verification failures and escrows reconciled (settled or refunded).
/// </summary>
public static class MarketplaceMetrics
{
    private static readonly Meter Meter = new("Depin.Marketplace");

    private static readonly ConcurrentDictionary<string, byte> OnlineWorkers = new(StringComparer.Ordinal);

    private static readonly Counter<long> JobTransitions = Meter.CreateCounter<long>(
        "depin.marketplace.jobs", "{job}", "Jobs entering a status (tag status): funded, queued, leased, completed, verified, settled, refunded…");

    private static readonly Histogram<double> LeaseWait = Meter.CreateHistogram<double>(
        "depin.marketplace.lease.wait", "ms", "From a job queued to a worker's lease of it.");

    private static readonly Counter<long> VerificationFailures = Meter.CreateCounter<long>(
        "depin.marketplace.verification.failures", "{result}", "Results that failed verification.");

    private static readonly Histogram<double> Reputations = Meter.CreateHistogram<double>(
        "depin.marketplace.worker.reputation", "1", "A worker's reputation (0..1) each time a lease of it ends.");

    private static readonly Counter<long> EscrowReconciled = Meter.CreateCounter<long>(
        "depin.marketplace.escrow.reconciled", "{micro-credit}", "Escrow that ended, paid out or refunded (tag outcome).");

    private static readonly Counter<long> Canaries = Meter.CreateCounter<long>(
        "depin.marketplace.canaries", "{job}", "Canary jobs (tag outcome): submitted, unfunded, passed or failed (a judged attempt).");

    static MarketplaceMetrics() =>
        Meter.CreateObservableGauge("depin.marketplace.workers.online", () => OnlineWorkers.Count, "{worker}", "Workers online whose grain is active on this silo.");

    public static void JobEntered(string status) => JobTransitions.Add(1, new KeyValuePair<string, object?>("status", status));

    public static void Leased(TimeSpan waited) => LeaseWait.Record(Math.Max(0, waited.TotalMilliseconds));

    public static void VerificationFailed(string kind) => VerificationFailures.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public static void Reconciled(string outcome, long escrow) => EscrowReconciled.Add(escrow, new KeyValuePair<string, object?>("outcome", outcome));

    public static void Canary(string kind, string outcome) =>
        Canaries.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));

    public static void CanaryJudged(string kind, bool passed) => Canary(kind, passed ? "passed" : "failed");

    public static void Reputation(double value) => Reputations.Record(value);

    public static void WorkerOnline(string workerId, bool online)
    {
        if (online)
        {
            OnlineWorkers.TryAdd(workerId, 0);
        }
        else
        {
            OnlineWorkers.TryRemove(workerId, out _);
        }
    }
}
