using Orleans.Concurrency;
using Depin.Marketplace.Jobs;

namespace Depin.Marketplace.Scheduling;

/// <summary>A queued job as the scheduler sees it: bid (micro-credits per 1,000,000 work units), memory need and age.</summary>
[GenerateSerializer, Immutable]
public sealed record QueueEntry(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] long MaxPricePerMegaUnit,
    [property: Id(2)] long MinMemoryBytes,
    [property: Id(3)] DateTimeOffset CreatedAt);

/// <summary>
/// Queued jobs of one kernel kind (key: the kind). Matching: among the jobs a worker can run (bid ≥ its ask, memory need ≤
/// its device memory), the highest bid first, the oldest first among equal bids.
/// </summary>
public interface IJobQueueGrain : IGrainWithStringKey
{
    /// <summary>Adds a job (once). One-way: jobs call it from inside their own turns.</summary>
    [OneWay]
    Task Enqueue(QueueEntry entry);

    [OneWay]
    Task Remove(Guid jobId);

    /// <summary>The best entry this worker could take, without taking it.</summary>
    Task<QueueEntry?> Peek(long askPricePerMegaUnit, long deviceMemoryBytes);

    /// <summary>
    /// Leases the best job this worker can run; null when there is none. Interleaved: a lease waits for its ledger commit,
    /// and the entry it tries is taken off the index before that wait, so concurrent leases never try the same job.
    /// </summary>
    [AlwaysInterleave]
    Task<LeaseGrant?> TryLease(LeaseOffer offer);

    Task<int> Count();
}

/// <inheritdoc cref="IJobQueueGrain"/>
/// <remarks>
/// The queue is a soft index kept in memory, ordered by (bid descending, age, id), so a lease takes the first entry a
/// worker can run instead of scanning everything. The job grains own the truth: a queued job re-enqueues itself on every
/// check tick, so a queue lost with its activation is rebuilt within one <see cref="MarketplaceOptions.JobCheckInterval"/>.
/// </remarks>
public sealed class JobQueueGrain(JobQueueSignal signal) : Grain, IJobQueueGrain
{
    private readonly SortedSet<QueueEntry> _queue = new(QueueOrder.Instance);
    private readonly Dictionary<Guid, QueueEntry> _entries = [];

    public Task Enqueue(QueueEntry entry)
    {
        if (_entries.TryAdd(entry.JobId, entry))
        {
            _queue.Add(entry);
            signal.Pulse();
        }

        return Task.CompletedTask;
    }

    public Task Remove(Guid jobId)
    {
        if (_entries.Remove(jobId, out var entry))
        {
            _queue.Remove(entry);
        }

        return Task.CompletedTask;
    }

    public Task<QueueEntry?> Peek(long askPricePerMegaUnit, long deviceMemoryBytes) =>
        Task.FromResult(Best(askPricePerMegaUnit, deviceMemoryBytes));

    public async Task<LeaseGrant?> TryLease(LeaseOffer offer)
    {
        while (Best(offer.AskPricePerMegaUnit, offer.DeviceMemoryBytes) is { } entry)
        {
            // Taken off first: a job that cannot be leased (cancelled, expired) re-enqueues itself if it is still queued.
            _entries.Remove(entry.JobId);
            _queue.Remove(entry);
            var grant = await GrainFactory.GetGrain<IJobGrain>(entry.JobId).Lease(offer);
            if (grant is not null)
            {
                return grant;
            }
        }

        return null;
    }

    public Task<int> Count() => Task.FromResult(_queue.Count);

    private QueueEntry? Best(long ask, long memory)
    {
        foreach (var entry in _queue)
        {
            if (entry.MaxPricePerMegaUnit < ask)
            {
                return null;
            }

            if (entry.MinMemoryBytes <= memory)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>Highest bid first, then oldest, then by id (a total order).</summary>
    private sealed class QueueOrder : IComparer<QueueEntry>
    {
        public static readonly QueueOrder Instance = new();

        public int Compare(QueueEntry? x, QueueEntry? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            var byBid = y!.MaxPricePerMegaUnit.CompareTo(x!.MaxPricePerMegaUnit);
            if (byBid != 0)
            {
                return byBid;
            }

            var byAge = x.CreatedAt.CompareTo(y.CreatedAt);
            return byAge != 0 ? byAge : x.JobId.CompareTo(y.JobId);
        }
    }
}
