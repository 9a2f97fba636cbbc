namespace Depin.Marketplace.Infrastructure;

/// <summary>
/// Items added at the same moment, sent together: up to <c>maxInFlight</c> sends run at once, and whatever is added
/// while they do goes in the next one (up to <c>maxWeight</c> per send, at least one item), so an idle caller waits for
/// nothing and a busy process sends a few large batches instead of one per item. A send that throws has
/// <c>fail</c> answer every item it carried; the queue goes on. The batch handed to <c>send</c> is reused afterwards.
/// </summary>
public sealed class BatchingQueue<T>(
    int maxInFlight, int maxWeight, Func<T, int> weight, Func<IReadOnlyList<T>, Task> send, Action<IReadOnlyList<T>, Exception> fail)
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _pending = new();
    private int _inFlight;

    public void Add(T item)
    {
        bool start;
        lock (_lock)
        {
            _pending.Enqueue(item);
            start = _inFlight < maxInFlight;
            if (start)
            {
                _inFlight++;
            }
        }

        if (start)
        {
            _ = Task.Run(SendLoopAsync, CancellationToken.None);
        }
    }

    private async Task SendLoopAsync()
    {
        var batch = new List<T>();
        while (true)
        {
            batch.Clear();
            lock (_lock)
            {
                var total = 0;
                while (_pending.TryPeek(out var next) && (batch.Count == 0 || total + weight(next) <= maxWeight))
                {
                    batch.Add(_pending.Dequeue());
                    total += weight(next);
                }

                if (batch.Count == 0)
                {
                    _inFlight--;
                    return;
                }
            }

            try
            {
                await send(batch);
            }
            catch (Exception ex)
            {
                fail(batch, ex);
            }
        }
    }
}
