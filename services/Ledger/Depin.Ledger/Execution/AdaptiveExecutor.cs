using System.Diagnostics;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Execution;

/// <summary>
/// Runs each block on whichever of the sequential and the parallel executor has lately been faster per transaction for
/// this node's traffic, trying the other one every <see cref="ExploreEvery"/> blocks so that a change of workload (or of
/// machine: two SMT siblings scale hash-bound work far less than two cores) is noticed. Both produce exactly the same
/// receipts and state, so the choice changes speed only, never results. Blocks below the threshold run sequentially.
/// </summary>
public sealed class AdaptiveExecutor(SequentialExecutor sequential, IParallelBlockExecutor parallel, int threshold) : IBlockExecutor, IDisposable
{
    /// <summary>One block in this many runs on the executor that is not preferred, to measure it again.</summary>
    public const int ExploreEvery = 16;

    /// <summary>Blocks each executor runs in turn at first, before the estimates decide.</summary>
    public const int WarmUpSamples = 3;

    private const double Weight = 0.5;

    private double _sequentialNs;
    private double _parallelNs;
    private int _sequentialSamples;
    private int _parallelSamples;
    private long _blocks;

    /// <summary>Whether the parallel executor is the one preferred now.</summary>
    public bool PrefersParallel => _parallelSamples > 0 && _sequentialSamples > 0 && _parallelNs < _sequentialNs;

    /// <summary>Blocks run on the parallel executor so far.</summary>
    public long ParallelBlocks { get; private set; }

    public void Execute(AccountStore store, ReadOnlyMemory<Transaction> block, long height, long timestampMs, BlockOutput output)
    {
        if (block.Length < threshold)
        {
            sequential.Execute(store, block, height, timestampMs, output);
            return;
        }

        var warming = _parallelSamples < WarmUpSamples || _sequentialSamples < WarmUpSamples;
        var useParallel = warming ? _parallelSamples <= _sequentialSamples : PrefersParallel ^ (++_blocks % ExploreEvery == 0);
        var started = Stopwatch.GetTimestamp();
        if (useParallel)
        {
            parallel.Execute(store, block, height, timestampMs, output);
            ParallelBlocks++;
        }
        else
        {
            sequential.Execute(store, block, height, timestampMs, output);
        }

        var nsPerTransaction = Stopwatch.GetElapsedTime(started).TotalNanoseconds / block.Length;
        ref var estimate = ref useParallel ? ref _parallelNs : ref _sequentialNs;
        ref var samples = ref useParallel ? ref _parallelSamples : ref _sequentialSamples;
        estimate = samples++ == 0 ? nsPerTransaction : ((1 - Weight) * estimate) + (Weight * nsPerTransaction);
    }

    public void Dispose() => parallel.Dispose();
}
