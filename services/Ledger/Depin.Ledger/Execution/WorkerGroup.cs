namespace Depin.Ledger.Execution;

/// <summary>
/// A fixed set of dedicated threads that run one phase of a block together with the caller (worker 0).
/// Dedicated threads avoid waiting for thread-pool injection while the host is busy serving requests.
/// </summary>
public sealed class WorkerGroup : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _start;
    private readonly CountdownEvent _finished;
    private Action<int>? _body;
    private Exception? _failure;
    private volatile bool _disposed;

    public WorkerGroup(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        Workers = workers;
        _threads = new Thread[workers - 1];
        _start = new SemaphoreSlim[workers - 1];
        _finished = new CountdownEvent(1);
        for (var i = 0; i < _threads.Length; i++)
        {
            var index = i + 1;
            _start[i] = new SemaphoreSlim(0);
            _threads[i] = new Thread(() => Loop(index)) { IsBackground = true, Name = $"ledger-exec-{index}" };
            _threads[i].Start();
        }
    }

    public int Workers { get; }

    /// <summary>Runs <paramref name="body"/>(worker) on every worker and returns when all have finished.</summary>
    public void Run(Action<int> body)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_threads.Length == 0)
        {
            body(0);
            return;
        }

        _body = body;
        _failure = null;
        _finished.Reset(_threads.Length);
        foreach (var start in _start)
        {
            start.Release();
        }

        try
        {
            body(0);
        }
        finally
        {
            _finished.Wait();
            _body = null;
        }

        if (_failure is not null)
        {
            throw new AggregateException(_failure);
        }
    }

    /// <summary>Splits [0, count) into one contiguous range per worker.</summary>
    public void For(int count, Action<int, int> range) => Run(worker =>
    {
        var start = (int)((long)count * worker / Workers);
        var end = (int)((long)count * (worker + 1) / Workers);
        if (start < end)
        {
            range(start, end);
        }
    });

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var start in _start)
        {
            start.Release();
        }

        foreach (var thread in _threads)
        {
            thread.Join();
        }

        foreach (var start in _start)
        {
            start.Dispose();
        }

        _finished.Dispose();
    }

    private void Loop(int index)
    {
        while (true)
        {
            _start[index - 1].Wait();
            if (_disposed)
            {
                return;
            }

            try
            {
                _body!(index);
            }
            catch (Exception ex)
            {
                _failure = ex;
            }
            finally
            {
                _finished.Signal();
            }
        }
    }
}
