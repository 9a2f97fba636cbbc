using System.Diagnostics;
using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Bench;

/// <summary>In-memory execution: the sequential reference against the scheduled executor and Block-STM at each worker count, on identical blocks.</summary>
internal static class ExecutorBench
{
    public sealed record Result(string Workload, double Sequential, double[] Scheduled, double[] BlockStm, double Pipelined, double Adaptive, bool Identical, double AdaptiveBytesPerTransaction);

    /// <summary>
    /// Runs the blocks on each executor, in <paramref name="rounds"/> rounds that take every executor in turn (so none is
    /// timed while the JIT is still tiering the code they share, and each gets the machine's quiet moments as often), and
    /// keeps each one's best; the first <paramref name="untimed"/> blocks warm up (and fill pipelines) untimed.
    /// </summary>
    public static Result Run(string workload, Transaction[] genesis, Transaction[][] blocks, int maxWorkers, int untimed = 1, int rounds = 3)
    {
        var settings = ExecutionSettings.Default;
        var sequential = 0.0;
        var scheduled = new double[maxWorkers];
        var blockStm = new double[maxWorkers];
        var adaptive = 0.0;
        var adaptiveBytes = double.MaxValue;
        var pipelined = 0.0;
        var identical = true;
        var executors = new List<(IBlockExecutor Executor, Action<double> Keep)>
        {
            (new SequentialExecutor(settings), tps => sequential = Math.Max(sequential, tps)),
        };
        for (var workers = 1; workers <= maxWorkers; workers++)
        {
            var index = workers - 1;
            executors.Add((ParallelExecutors.Create(ParallelExecution.Scheduled, settings, workers), tps => scheduled[index] = Math.Max(scheduled[index], tps)));
            executors.Add((ParallelExecutors.Create(ParallelExecution.BlockStm, settings, workers), tps => blockStm[index] = Math.Max(blockStm[index], tps)));
        }

        executors.Add((ParallelExecutors.Create(ParallelExecution.Pipelined, settings, maxWorkers), tps => pipelined = Math.Max(pipelined, tps)));

        // What the ledger node runs: the fastest of sequential, pipelined and scheduled for the traffic, chosen as blocks
        // arrive. A node has run many blocks before it is busy; so has this one before it is timed (its candidates'
        // code tiered by the JIT, its estimates settled), on a copy of the genesis state it then throws away.
        var node = new AdaptiveExecutor(
            [new SequentialExecutor(settings), ParallelExecutors.Create(ParallelExecution.Pipelined, settings, maxWorkers), ParallelExecutors.Create(ParallelExecution.Scheduled, settings, maxWorkers)], 256);
        WarmUp(node, genesis, blocks, AdaptiveWarmUpBlocks);
        executors.Add((node, tps => adaptive = Math.Max(adaptive, tps)));
        Hash256? reference = null;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (executor, keep) in executors)
            {
                var (tps, root, bytes) = Measure(executor, genesis, blocks, untimed);
                keep(tps);
                if (ReferenceEquals(executor, node))
                {
                    adaptiveBytes = Math.Min(adaptiveBytes, bytes);
                }

                reference ??= root;
                identical &= root == reference;
            }
        }

        foreach (var (executor, _) in executors)
        {
            (executor as IDisposable)?.Dispose();
        }

        return new Result(workload, sequential, scheduled, blockStm, pipelined, adaptive, identical, adaptiveBytes);
    }

    /// <summary>Blocks the adaptive executor runs untimed before the rounds (the workload's blocks, over and over).</summary>
    private const int AdaptiveWarmUpBlocks = 96;

    private static void WarmUp(IBlockExecutor executor, Transaction[] genesis, Transaction[][] blocks, int count)
    {
        var store = new AccountStore(genesis.Length * 2);
        var output = new BlockOutput();
        executor.Execute(store, genesis, 1, Workloads.Timestamp(1), output);
        for (var i = 0; i < count; i++)
        {
            if (i % blocks.Length == 0 && i > 0)
            {
                store = new AccountStore(genesis.Length * 2);
                executor.Execute(store, genesis, 1, Workloads.Timestamp(1), output);
            }

            var b = i % blocks.Length;
            executor.Execute(store, blocks[b], b + 2, Workloads.Timestamp(b + 2), output);
        }
    }

    /// <summary>The share of the blocks' transactions that succeed on the sequential executor (a workload check).</summary>
    public static double SuccessShare(Transaction[] genesis, Transaction[][] blocks)
    {
        var store = new AccountStore(genesis.Length * 2);
        var output = new BlockOutput();
        var executor = new SequentialExecutor(ExecutionSettings.Default);
        executor.Execute(store, genesis, 1, Workloads.Timestamp(1), output);
        long total = 0, succeeded = 0;
        for (var b = 0; b < blocks.Length; b++)
        {
            executor.Execute(store, blocks[b], b + 2, Workloads.Timestamp(b + 2), output);
            total += blocks[b].Length;
            succeeded += output.Statuses.AsSpan(0, blocks[b].Length).Count(ReceiptStatus.Success);
        }

        return (double)succeeded / total;
    }

    /// <summary>Transactions per second, the state root, and the bytes allocated per transaction (every thread) while timed.</summary>
    private static (double Tps, Hash256 Root, double BytesPerTransaction) Measure(IBlockExecutor executor, Transaction[] genesis, Transaction[][] blocks, int untimed)
    {
        var store = new AccountStore(genesis.Length * 2);
        var output = new BlockOutput();
        executor.Execute(store, genesis, 1, Workloads.Timestamp(1), output);
        store.TakeDirty();

        // Warm-up on the untimed blocks, then time every other block, on a fresh copy.
        var copy = store.Clone();
        var transactions = 0L;
        for (var b = 0; b < untimed; b++)
        {
            executor.Execute(copy, blocks[b], b + 2, Workloads.Timestamp(b + 2), output);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        for (var b = untimed; b < blocks.Length; b++)
        {
            executor.Execute(copy, blocks[b], b + 2, Workloads.Timestamp(b + 2), output);
            transactions += blocks[b].Length;
        }

        var best = transactions / Stopwatch.GetElapsedTime(started).TotalSeconds;
        var bytes = (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / transactions;
        var tree = new LedgerStateTree();
        tree.Rebuild(copy);
        var root = tree.Root;
        return (best, root, bytes);
    }
}
