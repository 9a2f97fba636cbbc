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

    /// <summary>The best entry this worker could take, without taking it (the offer is remembered for <see cref="WhyWaiting"/>).</summary>
    Task<QueueEntry?> Peek(LeaseOffer offer);

    /// <summary>
    /// Leases the best jobs this worker can run, up to <paramref name="max"/> (their ledger steps go together); empty when
    /// there are none. Interleaved: a lease waits for its ledger commit, and the entries it tries are taken off the index
    /// before that wait, so concurrent leases never try the same job.
    /// </summary>
    [AlwaysInterleave]
    Task<LeaseGrant[]> TryLease(LeaseOffer offer, int max);

    /// <summary>
    /// A long-polling lease request waits here, whichever silo took it: true at once when a job this worker could run is
    /// queued, or as soon as one is (each job queued wakes one such waiter, the longest waiting), false after
    /// <paramref name="timeout"/> or when cancelled. Interleaved, so that waiters do not hold the queue.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> WaitForJob(LeaseOffer offer, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Passes a wake-up on to the longest waiter that could run a queued job, if any (a worker that holds back so that a more reliable one goes first).</summary>
    [OneWay]
    Task Relay();

    Task<int> Count();

    /// <summary>The highest ask among the workers that asked for work of this kind lately; null when none did.</summary>
    Task<long?> HighestRecentAsk();

    /// <summary>Why a queued job is still waiting, from the offers of the workers that asked for work of this kind lately.</summary>
    Task<string> WhyWaiting(Guid jobId, long maxPricePerMegaUnit, long minMemoryBytes);
}

/// <inheritdoc cref="IJobQueueGrain"/>
/// <remarks>
/// The queue is a soft index kept in memory, ordered by (bid descending, age, id), so a lease takes the first entry a
/// worker can run instead of scanning everything. The job grains own the truth: a queued job re-enqueues itself on every
/// <see cref="MarketplaceOptions.QueueRefreshInterval"/>, so a queue lost with its activation is rebuilt within one.
/// </remarks>
public sealed class JobQueueGrain(TimeProvider time, Microsoft.Extensions.Options.IOptions<MarketplaceOptions> options) : Grain, IJobQueueGrain
{
    private readonly SortedSet<QueueEntry> _queue = new(QueueOrder.Instance);
    private readonly Dictionary<Guid, QueueEntry> _entries = [];
    private readonly Dictionary<string, (LeaseOffer Offer, DateTimeOffset At)> _offers = [];
    private readonly LinkedList<Waiter> _waiters = new();

    public Task Enqueue(QueueEntry entry)
    {
        if (_entries.TryAdd(entry.JobId, entry))
        {
            _queue.Add(entry);
            Wake(w => w.Offer.AskPricePerMegaUnit <= entry.MaxPricePerMegaUnit && w.Offer.DeviceMemoryBytes >= entry.MinMemoryBytes);
        }

        return Task.CompletedTask;
    }

    public async Task<bool> WaitForJob(LeaseOffer offer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Best(offer) is not null)
        {
            return true;
        }

        var waiter = new Waiter(offer);
        var node = _waiters.AddLast(waiter);
        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        expiry.CancelAfter(timeout);
        await using (expiry.Token.Register(static w => ((Waiter)w!).Woken.TrySetResult(false), waiter))
        {
            var woken = await waiter.Woken.Task;
            if (node.List is not null)
            {
                _waiters.Remove(node);
            }

            return woken;
        }
    }

    public Task Relay()
    {
        Wake(w => Best(w.Offer) is not null);
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

    public Task<QueueEntry?> Peek(LeaseOffer offer)
    {
        _offers[offer.WorkerId] = (offer, time.GetUtcNow());
        return Task.FromResult(Best(offer));
    }

    public async Task<LeaseGrant[]> TryLease(LeaseOffer offer, int max)
    {
        _offers[offer.WorkerId] = (offer, time.GetUtcNow());
        var taken = new List<QueueEntry>(max);
        while (true)
        {
            // Taken off first: a job that cannot be leased (cancelled, expired) re-enqueues itself if it is still queued.
            taken.Clear();
            while (taken.Count < max && Best(offer) is { } entry)
            {
                _entries.Remove(entry.JobId);
                _queue.Remove(entry);
                taken.Add(entry);
            }

            if (taken.Count == 0)
            {
                return [];
            }

            var grants = await Task.WhenAll(taken.Select(e => GrainFactory.GetGrain<IJobGrain>(e.JobId).Lease(offer)));
            if (grants.Any(g => g is not null))
            {
                return [.. grants.OfType<LeaseGrant>()];
            }
        }
    }

    public Task<int> Count() => Task.FromResult(_queue.Count);

    public Task<long?> HighestRecentAsk()
    {
        var since = time.GetUtcNow() - options.Value.HeartbeatTimeout;
        var asks = _offers.Values.Where(o => o.At >= since).Select(o => o.Offer.AskPricePerMegaUnit).ToList();
        return Task.FromResult(asks.Count == 0 ? (long?)null : asks.Max());
    }

    public Task<string> WhyWaiting(Guid jobId, long maxPricePerMegaUnit, long minMemoryBytes)
    {
        var since = time.GetUtcNow() - options.Value.HeartbeatTimeout;
        foreach (var stale in _offers.Where(o => o.Value.At < since).Select(o => o.Key).ToList())
        {
            _offers.Remove(stale);
        }

        var kind = this.GetPrimaryKeyString();
        var offers = _offers.Values.Select(o => o.Offer).ToList();
        if (offers.Count == 0)
        {
            return Task.FromResult($"no worker that runs {kind} asked for work in the last {options.Value.HeartbeatTimeout.TotalSeconds:F0} s");
        }

        var affordable = offers.Where(o => o.AskPricePerMegaUnit <= maxPricePerMegaUnit).ToList();
        if (affordable.Count == 0)
        {
            return Task.FromResult($"every {kind} worker online asks more than the bid of {maxPricePerMegaUnit} per 1,000,000 work units (lowest ask {offers.Min(o => o.AskPricePerMegaUnit)})");
        }

        if (!affordable.Any(o => o.DeviceMemoryBytes >= minMemoryBytes))
        {
            return Task.FromResult($"no {kind} worker within the bid has the {minMemoryBytes} bytes of device memory the job needs (largest {affordable.Max(o => o.DeviceMemoryBytes)})");
        }

        var ahead = _entries.TryGetValue(jobId, out var entry) ? _queue.GetViewBetween(_queue.Min!, entry).Count - 1 : _queue.Count;
        return Task.FromResult($"{affordable.Count} {kind} worker(s) within the bid are busy; {ahead} job(s) ahead in the queue");
    }

    /// <summary>Wakes the longest waiting request that <paramref name="fits"/> (one whose wait has just ended is passed over).</summary>
    private void Wake(Func<Waiter, bool> fits)
    {
        for (var node = _waiters.First; node is not null;)
        {
            var next = node.Next;
            if (fits(node.Value))
            {
                _waiters.Remove(node);
                if (node.Value.Woken.TrySetResult(true))
                {
                    return;
                }
            }

            node = next;
        }
    }

    /// <summary>The first queued entry (highest bid, oldest) whose bid covers the offer's ask and whose memory need its device has.</summary>
    private QueueEntry? Best(LeaseOffer offer)
    {
        foreach (var entry in _queue)
        {
            if (entry.MaxPricePerMegaUnit < offer.AskPricePerMegaUnit)
            {
                return null;
            }

            if (entry.MinMemoryBytes <= offer.DeviceMemoryBytes)
            {
                return entry;
            }
        }

        return null;
    }

    private sealed class Waiter(LeaseOffer offer)
    {
        public LeaseOffer Offer { get; } = offer;

        public TaskCompletionSource<bool> Woken { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
