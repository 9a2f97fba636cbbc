using System.Diagnostics;
using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Bench;

/// <summary>In-memory execution: the sequential reference against Block-STM at each worker count, on identical blocks.</summary>
internal static class ExecutorBench
{
    public sealed record Result(string Workload, double Sequential, double[] Parallel, bool Identical);

    /// <summary>Runs the blocks on each executor; the first <paramref name="untimed"/> blocks warm up (and fill pipelines) untimed.</summary>
    public static Result Run(string workload, Transaction[] genesis, Transaction[][] blocks, int maxWorkers, int untimed = 1)
    {
        var settings = ExecutionSettings.Default;
        var (sequentialTps, sequentialRoot) = Measure(new SequentialExecutor(settings), genesis, blocks, untimed);
        var parallel = new double[maxWorkers];
        var identical = true;
        for (var workers = 1; workers <= maxWorkers; workers++)
        {
            using var executor = new ParallelExecutor(settings, workers);
            var (tps, root) = Measure(executor, genesis, blocks, untimed);
            parallel[workers - 1] = tps;
            identical &= root == sequentialRoot;
        }

        return new Result(workload, sequentialTps, parallel, identical);
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

    private static (double Tps, Hash256 Root) Measure(IBlockExecutor executor, Transaction[] genesis, Transaction[][] blocks, int untimed)
    {
        var store = new AccountStore(genesis.Length * 2);
        var output = new BlockOutput();
        executor.Execute(store, genesis, 1, Workloads.Timestamp(1), output);
        store.TakeDirty();

        // Warm-up on the untimed blocks, then time every other block: the best of two passes over fresh copies.
        var best = 0.0;
        var root = Hash256.Zero;
        for (var pass = 0; pass < 2; pass++)
        {
            var copy = store.Clone();
            var transactions = 0L;
            for (var b = 0; b < untimed; b++)
            {
                executor.Execute(copy, blocks[b], b + 2, Workloads.Timestamp(b + 2), output);
            }

            var started = Stopwatch.GetTimestamp();
            for (var b = untimed; b < blocks.Length; b++)
            {
                executor.Execute(copy, blocks[b], b + 2, Workloads.Timestamp(b + 2), output);
                transactions += blocks[b].Length;
            }

            best = Math.Max(best, transactions / Stopwatch.GetElapsedTime(started).TotalSeconds);
            var tree = new LedgerStateTree();
            tree.Rebuild(copy);
            root = tree.Root;
        }

        return (best, root);
    }
}
