namespace Depin.Ledger.Execution;

/// <summary>
/// A fixed set of dedicated threads that run one phase of a block together with the caller (worker 0).
/// Dedicated threads avoid waiting for thread-pool injection while the host is busy serving requests.
/// </summary>
public sealed class WorkerGroup : IDisposable
{
    private const int Idle = 0;
    private const int Offered = 1;
    private const int Taken = 2;
    private const int Done = 3;

    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _start;
    private readonly int[] _offers;
    private Action<int>? _body;
    private Exception? _failure;
    private volatile bool _disposed;
    private int _awakeHolds;

    public WorkerGroup(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        Workers = workers;
        _threads = new Thread[workers - 1];
        _start = new SemaphoreSlim[workers - 1];
        _offers = new int[(workers - 1) * OfferStride];
        for (var i = 0; i < _threads.Length; i++)
        {
            var index = i + 1;
            _start[i] = new SemaphoreSlim(0);
            _threads[i] = new Thread(() => Loop(index)) { IsBackground = true, Name = $"ledger-exec-{index}" };
            _threads[i].Start();
        }
    }

    public int Workers { get; }

    /// <summary>Helpers that said they sleep on their semaphore.</summary>
    internal int SleepingHelpers => Enumerable.Range(0, _threads.Length).Count(i => Volatile.Read(ref _offers[(i * OfferStride) + SleepingOffset]) == 1);

    /// <summary>Releases waiting in the helpers' semaphores (at most one per helper, and only while it sleeps).</summary>
    internal int PendingWakeUps => _start.Sum(start => start.CurrentCount);

    /// <summary>How long an idle helper watches for the next run before it sleeps.</summary>
    private static readonly TimeSpan SpinBeforeSleeping = TimeSpan.FromMicroseconds(50);

    /// <summary>Ints between two helpers' offers, so each sits on a cache line of its own.</summary>
    private const int OfferStride = 16;

    /// <summary>Where beside a helper's offer it says it sleeps (1) on its semaphore.</summary>
    private const int SleepingOffset = 1;

    /// <summary>Runs <paramref name="body"/>(worker) on every worker and returns when all have finished.</summary>
    public void Run(Action<int> body) => Run(body, helpersOptional: false);

    /// <summary>
    /// Runs <paramref name="body"/> on worker 0 and on every helper thread that starts it before worker 0 is done;
    /// returns when those have finished. A helper that has not woken by then (its core busy elsewhere, or slow to
    /// wake) is not waited for and skips this run. For phases whose work is claimed from shared counters, so that
    /// worker 0 alone completes them.
    /// </summary>
    public void RunWithOptionalHelpers(Action<int> body) => Run(body, helpersOptional: true);

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

    /// <summary>
    /// Keeps helpers that are awake watching for runs, instead of sleeping after <see cref="SpinBeforeSleeping"/>, until
    /// the scope is disposed: for a caller with more runs to offer after a pause of its own, as the node's state tree
    /// after a block (taking the changed slots alone can outlast the spin, and a helper that has gone to sleep then
    /// wakes too late to share the tree's levels).
    /// </summary>
    public IDisposable StayAwake()
    {
        Interlocked.Increment(ref _awakeHolds);
        return new AwakeScope(this);
    }

    /// <summary>Whether <see cref="Dispose"/> was called: its threads are gone, and runs are refused.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Ends a <see cref="StayAwake"/>, once however often it is disposed.</summary>
    private sealed class AwakeScope(WorkerGroup group) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                Interlocked.Decrement(ref group._awakeHolds);
            }
        }
    }

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
    }

    private void Run(Action<int> body, bool helpersOptional)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_threads.Length == 0)
        {
            body(0);
            return;
        }

        _body = body;
        _failure = null;
        for (var i = 0; i < _threads.Length; i++)
        {
            Volatile.Write(ref _offers[i * OfferStride], Offered);

            // Only a helper that went to sleep is released: a release per run would pile up in the semaphore while the
            // helper takes runs spinning, and each one later buys another 50 µs of spinning on an idle group.
            if (Interlocked.Exchange(ref _offers[(i * OfferStride) + SleepingOffset], 0) == 1)
            {
                _start[i].Release();
            }
        }

        try
        {
            body(0);
        }
        finally
        {
            for (var i = 0; i < _threads.Length; i++)
            {
                ref var offer = ref _offers[i * OfferStride];
                if (helpersOptional && Interlocked.CompareExchange(ref offer, Idle, Offered) == Offered)
                {
                    continue;
                }

                var spinner = default(SpinWait);
                while (Volatile.Read(ref offer) != Done)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }

                offer = Idle;
            }

            _body = null;
        }

        if (_failure is not null)
        {
            throw new AggregateException(_failure);
        }
    }

    /// <summary>
    /// Watches for the next run for a short while before sleeping: a block's phases, and blocks executed back to back,
    /// follow one another within microseconds, and a sleeping thread can take far longer than that to wake on a busy
    /// virtual machine (the caller then does the helper's share alone, <see cref="RunWithOptionalHelpers"/>).
    /// </summary>
    private bool AwaitOfferSpinning(ref int offer)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks < SpinBeforeSleeping.Ticks || Volatile.Read(ref _awakeHolds) > 0)
        {
            if (Volatile.Read(ref offer) == Offered || _disposed)
            {
                return true;
            }

            Thread.SpinWait(8);
        }

        return false;
    }

    /// <summary>
    /// Blocks until the next offer. The helper says it sleeps before it looks at the offer a last time, and the caller
    /// offers before it looks whether the helper sleeps (both with full fences), so an offer is never missed; where both
    /// see each other, the caller's release is consumed here.
    /// </summary>
    private void Sleep(int index, ref int offer)
    {
        ref var sleeping = ref _offers[((index - 1) * OfferStride) + SleepingOffset];
        Interlocked.Exchange(ref sleeping, 1);
        if ((Volatile.Read(ref offer) != Offered && !_disposed) || Interlocked.Exchange(ref sleeping, 0) == 0)
        {
            _start[index - 1].Wait();
        }
    }

    private void Loop(int index)
    {
        ref var offer = ref _offers[(index - 1) * OfferStride];
        while (true)
        {
            if (!AwaitOfferSpinning(ref offer))
            {
                Sleep(index, ref offer);
            }

            if (_disposed)
            {
                return;
            }

            // A wake-up whose run was withdrawn, or already taken after an earlier wake-up, finds nothing to take.
            if (Interlocked.CompareExchange(ref offer, Taken, Offered) != Offered)
            {
                continue;
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
                Volatile.Write(ref offer, Done);
            }
        }
    }
}
