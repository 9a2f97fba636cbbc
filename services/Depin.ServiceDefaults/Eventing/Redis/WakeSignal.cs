namespace Depin.ServiceDefaults.Eventing.Redis;

/// <summary>An auto-reset signal for one waiter: <see cref="Set"/> from any thread, any number of times, wakes it once.</summary>
internal sealed class WakeSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // Set by another thread meanwhile: one wake-up is pending, which is all a waiter needs.
            }
        }
    }

    /// <summary>Forgets a pending wake-up.</summary>
    public void Reset() => _semaphore.Wait(0);

    /// <summary>Returns when set (true) or after <paramref name="timeout"/> (false).</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
