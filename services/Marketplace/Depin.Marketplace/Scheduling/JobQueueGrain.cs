using Orleans.Concurrency;
using System.Collections.Immutable;
using Depin.Marketplace.Jobs;

namespace Depin.Marketplace.Scheduling;

/// <summary>A queued job as the scheduler sees it: bid (micro-credits per 1,000,000 work units), memory need and age.</summary>
[GenerateSerializer, Immutable]
public sealed record QueueEntry(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] long MaxPricePerMegaUnit,
    [property: Id(2)] long MinMemoryBytes,
    [property: Id(3)] DateTimeOffset CreatedAt);

/// <summary>The persisted queue of one kernel kind.</summary>
[GenerateSerializer, Immutable]
public sealed record JobQueueState([property: Id(0)] ImmutableList<QueueEntry>? Entries = null)
{
    public ImmutableList<QueueEntry> Queue => Entries ?? [];
}

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

    /// <summary>Leases the best job this worker can run; null when there is none.</summary>
    Task<LeaseGrant?> TryLease(LeaseOffer offer);

    Task<int> Count();
}

/// <inheritdoc cref="IJobQueueGrain"/>
public sealed class JobQueueGrain(
    [PersistentState("queue", MarketplaceExtensions.StorageName)] IPersistentState<JobQueueState> state,
    JobQueueSignal signal)
    : Grain, IJobQueueGrain
{
    public async Task Enqueue(QueueEntry entry)
    {
        if (state.State.Queue.Any(e => e.JobId == entry.JobId))
        {
            return;
        }

        state.State = new JobQueueState(state.State.Queue.Add(entry));
        await state.WriteStateAsync();
        signal.Pulse();
    }

    public async Task Remove(Guid jobId)
    {
        var queue = state.State.Queue.RemoveAll(e => e.JobId == jobId);
        if (queue.Count != state.State.Queue.Count)
        {
            state.State = new JobQueueState(queue);
            await state.WriteStateAsync();
        }
    }

    public Task<QueueEntry?> Peek(long askPricePerMegaUnit, long deviceMemoryBytes) =>
        Task.FromResult(Best(askPricePerMegaUnit, deviceMemoryBytes));

    public async Task<LeaseGrant?> TryLease(LeaseOffer offer)
    {
        while (Best(offer.AskPricePerMegaUnit, offer.DeviceMemoryBytes) is { } entry)
        {
            // Taken off first: a job that cannot be leased (cancelled, expired) re-enqueues itself if it is still queued.
            state.State = new JobQueueState(state.State.Queue.Remove(entry));
            await state.WriteStateAsync();
            var grant = await GrainFactory.GetGrain<IJobGrain>(entry.JobId).Lease(offer);
            if (grant is not null)
            {
                return grant;
            }
        }

        return null;
    }

    public Task<int> Count() => Task.FromResult(state.State.Queue.Count);

    private QueueEntry? Best(long ask, long memory)
    {
        QueueEntry? best = null;
        foreach (var e in state.State.Queue)
        {
            if (e.MaxPricePerMegaUnit < ask || e.MinMemoryBytes > memory)
            {
                continue;
            }

            if (best is null || e.MaxPricePerMegaUnit > best.MaxPricePerMegaUnit ||
                (e.MaxPricePerMegaUnit == best.MaxPricePerMegaUnit && e.CreatedAt < best.CreatedAt))
            {
                best = e;
            }
        }

        return best;
    }
}
