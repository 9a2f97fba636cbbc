using System.Diagnostics;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Execution;

/// <summary>
/// Runs each block on whichever of its executors has lately been fastest per transaction for this node's traffic (the
/// sequential one first among them), trying another one every <see cref="ExploreEvery"/> blocks so that a change of
/// workload or machine is noticed (one within 1.5× of the preferred one every <see cref="CloseExploreEvery"/> blocks, so
/// the two are compared on similar blocks; one measured twice in a row more than twice as slow, only every
/// <see cref="FarBehindExploreEvery"/> blocks: each such measurement costs a slow block). Every executor produces
/// exactly the same receipts and state, so the choice changes speed only, never results. Blocks below the threshold
/// run on the first executor (the sequential one).
/// </summary>
public sealed class AdaptiveExecutor : IBlockExecutor, IDisposable
{
    /// <summary>One block in this many runs on an executor that is not preferred, to measure it again.</summary>
    public const int ExploreEvery = 16;

    /// <summary>How many times slower than the preferred candidate another one must have measured to be measured less often.</summary>
    public const double FarBehind = 2.0;

    /// <summary>A candidate whose estimate is within this factor of the preferred one's is measured every <see cref="CloseExploreEvery"/> blocks.</summary>
    public const double CloseBehind = 1.5;

    /// <summary>How often a close contender is measured.</summary>
    public const int CloseExploreEvery = 4;

    /// <summary>Consecutive measurements far behind that make a candidate measured less often.</summary>
    public const int FarBehindAfter = 2;

    /// <summary>A candidate far behind is measured again once in this many blocks.</summary>
    public const int FarBehindExploreEvery = 8 * ExploreEvery;

    /// <summary>Blocks each executor runs in turn at first, before the estimates decide.</summary>
    public const int WarmUpSamples = 3;

    /// <summary>Recent samples kept per candidate; the estimate is their minimum (a block that met a cold JIT or a busy neighbour is an outlier, and only on the slow side).</summary>
    private const int Window = 4;

    /// <summary>Samples older than this many blocks no longer count (code gets faster as the JIT tiers it, load changes); a candidate without a fresh one is measured next.</summary>
    private const int Freshness = 64;

    private readonly IBlockExecutor[] _executors;
    private readonly int _threshold;
    private readonly double[] _recent;
    private readonly long[] _recentAt;
    private readonly int[] _samples;
    private readonly int[] _timesFarBehind;
    private long _blocks;
    private int _explored;

    /// <param name="executors">The candidates, the sequential executor first.</param>
    /// <param name="threshold">Blocks smaller than this always run on the first candidate.</param>
    public AdaptiveExecutor(IReadOnlyList<IBlockExecutor> executors, int threshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(executors.Count, 1);
        _executors = [.. executors];
        _threshold = threshold;
        _recent = new double[_executors.Length * Window];
        _recentAt = new long[_executors.Length * Window];
        _samples = new int[_executors.Length];
        _timesFarBehind = new int[_executors.Length];
    }

    /// <summary>The candidate preferred now (an index into the executors given).</summary>
    public int Preferred
    {
        get
        {
            var best = 0;
            for (var i = 1; i < _executors.Length; i++)
            {
                if (_samples[i] > 0 && (_samples[best] == 0 || Estimate(i) < Estimate(best)))
                {
                    best = i;
                }
            }

            return best;
        }
    }

    /// <summary>Blocks each candidate has run (at or above the threshold).</summary>
    public IReadOnlyList<int> Samples => _samples;

    /// <summary>The helpers of the executor that ran the last block.</summary>
    public WorkerGroup? Helpers { get; private set; }

    public void Execute(AccountStore store, ReadOnlyMemory<Transaction> block, long height, long timestampMs, BlockOutput output)
    {
        if (block.Length < _threshold)
        {
            _executors[0].Execute(store, block, height, timestampMs, output);
            Helpers = _executors[0].Helpers;
            return;
        }

        var (chosen, preferred) = Choose();
        var comparable = preferred >= 0 && chosen != preferred;
        var started = Stopwatch.GetTimestamp();
        _executors[chosen].Execute(store, block, height, timestampMs, output);
        Helpers = _executors[chosen].Helpers;
        // The receipts root is part of the time (the node takes it next, and it is kept): an executor that hashes the
        // subtrees of its chunks with their leaves leaves less of it to do.
        output.ReceiptsRoot();
        var at = (chosen * Window) + (_samples[chosen]++ % Window);
        _recent[at] = Stopwatch.GetElapsedTime(started).TotalNanoseconds / block.Length;
        if (comparable)
        {
            _timesFarBehind[chosen] = _recent[at] > FarBehind * Estimate(preferred) ? _timesFarBehind[chosen] + 1 : 0;
        }

        _recentAt[at] = _blocks;
    }

    /// <summary>
    /// The candidate, other than the preferred one, whose estimate is within <see cref="CloseBehind"/> of it and which has
    /// gone longest unmeasured; -1 if none. Measuring it costs little, and blocks differ (a block that grows the store
    /// costs several times the next one), so a contender needs several recent samples to be compared fairly.
    /// </summary>
    private int CloseContender(int preferred)
    {
        var best = -1;
        var bestAt = long.MaxValue;
        var limit = CloseBehind * Estimate(preferred);
        for (var i = 0; i < _executors.Length; i++)
        {
            if (i == preferred || IsFarBehind(i) || Estimate(i) > limit)
            {
                continue;
            }

            var at = LastMeasuredAt(i);
            if (at < bestAt)
            {
                (best, bestAt) = (i, at);
            }
        }

        return best;
    }

    private long LastMeasuredAt(int candidate)
    {
        var last = long.MinValue;
        for (var i = 0; i < Math.Min(_samples[candidate], Window); i++)
        {
            last = Math.Max(last, _recentAt[(candidate * Window) + i]);
        }

        return last;
    }

    /// <summary>Nanoseconds per transaction of a candidate: the best of its last <see cref="Window"/> blocks.</summary>
    private double Estimate(int candidate)
    {
        var kept = Math.Min(_samples[candidate], Window);
        var best = double.MaxValue;
        for (var i = 0; i < kept; i++)
        {
            var at = (candidate * Window) + i;
            if (_blocks - _recentAt[at] <= Freshness)
            {
                best = Math.Min(best, _recent[at]);
            }
        }

        return best;
    }

    /// <summary>
    /// A candidate whose last <see cref="FarBehindAfter"/> measurements after the warm-up were each more than
    /// <see cref="FarBehind"/> times the preferred one's estimate: measuring it costs a slow block, so it is measured
    /// again only every <see cref="FarBehindExploreEvery"/> blocks (warm-up samples, taken while the JIT is still
    /// tiering, never put a candidate there).
    /// </summary>
    private bool IsFarBehind(int candidate) => _timesFarBehind[candidate] >= FarBehindAfter;

    public void Dispose()
    {
        foreach (var executor in _executors)
        {
            (executor as IDisposable)?.Dispose();
        }
    }

    /// <summary>The candidate to run the next block, and the preferred one (-1 while the candidates still warm up in turn).</summary>
    private (int Chosen, int Preferred) Choose()
    {
        var fewest = 0;
        for (var i = 1; i < _executors.Length; i++)
        {
            fewest = _samples[i] < _samples[fewest] ? i : fewest;
        }

        if (_samples[fewest] < WarmUpSamples)
        {
            return (fewest, -1);
        }

        _blocks++;
        var preferred = Preferred;
        var due = _blocks % FarBehindExploreEvery == 0;
        for (var i = 0; i < _executors.Length; i++)
        {
            if (Estimate(i) == double.MaxValue && (due || !IsFarBehind(i)))
            {
                return (i, preferred);
            }
        }

        if (_executors.Length == 1)
        {
            return (preferred, preferred);
        }

        if (_blocks % CloseExploreEvery == 0 && CloseContender(preferred) is var close and >= 0)
        {
            return (close, preferred);
        }

        if (_blocks % ExploreEvery != 0)
        {
            return (preferred, preferred);
        }

        // Round-robin over the others, so each is measured again every (candidates − 1) × ExploreEvery blocks, except
        // those far behind, which wait for their turn every FarBehindExploreEvery blocks.
        _explored = (_explored + 1) % (_executors.Length - 1);
        var candidate = _explored >= preferred ? _explored + 1 : _explored;
        return (due || !IsFarBehind(candidate) ? candidate : preferred, preferred);
    }
}
