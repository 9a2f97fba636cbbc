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

    /// <summary>Wakes one waiter (or the next one to wait).</summary>
    public void Pulse()
    {
        if (_queued.CurrentCount < MaxBankedWakeUps)
        {
            _queued.Release();
        }
    }

    /// <summary>Completes at a pulse, or after <paramref name="timeout"/>; throws when cancelled.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _queued.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _queued.Dispose();
}
