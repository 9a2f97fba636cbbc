using System.Collections.Concurrent;
using System.Diagnostics;

namespace Depin.Marketplace.Bench;

/// <summary>
/// Submit → lease latency per job: from the moment its submission was sent to the moment a lane received its lease.
/// A lease may arrive before the submission's answer (the job is queued before the customer hears back), so whichever
/// side comes second records the sample; such fast leases are not dropped.
/// </summary>
internal sealed class LeaseLatencies
{
    private readonly ConcurrentDictionary<string, long> _sentAt = new();
    private readonly ConcurrentDictionary<string, long> _leasedAt = new();
    private readonly ConcurrentDictionary<string, byte> _recorded = new();
    private ConcurrentBag<double> _samples = [];

    public void Submitted(string jobId, long sentAt)
    {
        _sentAt[jobId] = sentAt;
        if (_leasedAt.TryGetValue(jobId, out var leasedAt))
        {
            Record(jobId, sentAt, leasedAt);
        }
    }

    public void Leased(string jobId, long receivedAt)
    {
        _leasedAt[jobId] = receivedAt;
        if (_sentAt.TryGetValue(jobId, out var sentAt))
        {
            Record(jobId, sentAt, receivedAt);
        }
    }

    /// <summary>The samples recorded since the last call, and a fresh start.</summary>
    public double[] Take() => [.. Interlocked.Exchange(ref _samples, [])];

    private void Record(string jobId, long sentAt, long receivedAt)
    {
        if (_recorded.TryAdd(jobId, 0))
        {
            _samples.Add(Stopwatch.GetElapsedTime(sentAt, receivedAt).TotalMilliseconds);
        }
    }
}
