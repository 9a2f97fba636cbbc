using System.Collections.Concurrent;
using Depin.Contracts.Events;
using Depin.ServiceDefaults.Admin;

namespace Depin.Marketplace.Admin;

/// <summary>
/// The marketplace's section of the admin dashboard, fed by its own events: jobs funded, rejected, settled and
/// refunded, money moved, workers seen online in the last minute, and the latest job outcomes.
/// </summary>
public sealed class MarketplaceActivity(TimeProvider time) : IDashboardSource
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _workersSeen = new();
    private readonly ConcurrentQueue<object> _recent = new();
    private long _funded;
    private long _rejected;
    private long _verified;
    private long _settled;
    private long _refunded;
    private long _failedVerifications;
    private long _paid;
    private long _fees;
    private long _workUnits;

    public string Section => "marketplace";

    public void OnFunded(JobFundedEvent e) => Interlocked.Increment(ref _funded);

    public void OnRejected(JobRejectedEvent e)
    {
        Interlocked.Increment(ref _rejected);
        Remember(new { job = e.JobId[..8], outcome = "rejected", detail = e.Reason, at = e.At.ToString("HH:mm:ss") });
    }

    public void OnVerified(JobVerifiedEvent e)
    {
        Interlocked.Increment(ref _verified);
        Interlocked.Add(ref _paid, e.Price);
        Interlocked.Add(ref _fees, e.Fee);
        Interlocked.Add(ref _workUnits, e.WorkUnits);
        Remember(new { job = e.JobId[..8], outcome = "verified", detail = $"price {e.Price}, fee {e.Fee}", at = e.At.ToString("HH:mm:ss") });
    }

    public void OnSettled(JobSettledEvent e) => Interlocked.Increment(ref _settled);

    public void OnRefunded(JobRefundedEvent e)
    {
        Interlocked.Increment(ref _refunded);
        Remember(new { job = e.JobId[..8], outcome = "refunded", detail = $"ledger height {e.Height}", at = e.At.ToString("HH:mm:ss") });
    }

    public void OnUptime(WorkerUptimeEvent e) => _workersSeen[e.WorkerId] = e.At;

    public void OnVerificationFailed(VerificationFailedEvent e)
    {
        Interlocked.Increment(ref _failedVerifications);
        Remember(new { job = e.JobId[..8], outcome = "verification failed", detail = e.Reason, at = e.At.ToString("HH:mm:ss") });
    }

    public Task<object> SnapshotAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().AddMinutes(-1);
        object snapshot = new
        {
            jobsFunded = Volatile.Read(ref _funded),
            jobsRejected = Volatile.Read(ref _rejected),
            jobsVerified = Volatile.Read(ref _verified),
            jobsSettled = Volatile.Read(ref _settled),
            jobsRefunded = Volatile.Read(ref _refunded),
            failedVerifications = Volatile.Read(ref _failedVerifications),
            paidToProviders = Volatile.Read(ref _paid) - Volatile.Read(ref _fees),
            platformFees = Volatile.Read(ref _fees),
            verifiedWorkUnits = Volatile.Read(ref _workUnits),
            workersOnline = _workersSeen.Count(w => w.Value >= since),
            recentJobs = _recent.Reverse().Take(10).ToArray(),
        };
        return Task.FromResult(snapshot);
    }

    private void Remember(object entry)
    {
        _recent.Enqueue(entry);
        while (_recent.Count > 50 && _recent.TryDequeue(out _))
        {
        }
    }
}
