namespace Depin.Marketplace.Scheduling;

/// <summary>
/// Wakes one long-polling lease request in this silo per queued job, instead of letting it sleep out its poll
/// interval (one, not all: waking every lane for each job makes them queue up on the queue grain). Polling stays as
/// the fallback, e.g. for a job queued on another silo or one the woken worker cannot run.
/// </summary>
public sealed class JobQueueSignal : IDisposable
{
    private const int MaxBankedWakeUps = 1_024;
    private readonly SemaphoreSlim _queued = new(0);
    private int _waiting;

    /// <summary>Wakes one waiter (or the next one to wait).</summary>
    public void Pulse()
    {
        if (_queued.CurrentCount < MaxBankedWakeUps)
        {
            _queued.Release();
        }
    }

    /// <summary>Passes a wake-up on to another waiter, when one is waiting (a worker that holds back for a better one).</summary>
    public void Relay()
    {
        if (Volatile.Read(ref _waiting) > 0)
        {
            Pulse();
        }
    }

    /// <summary>Completes at a pulse (true), or after <paramref name="timeout"/> (false); throws when cancelled.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            return await _queued.WaitAsync(timeout, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    public void Dispose() => _queued.Dispose();
}
