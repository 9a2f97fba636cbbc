using System.Diagnostics;
using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Bench;

/// <summary>In-memory execution: the sequential reference against Block-STM at each worker count, on identical blocks.</summary>
internal static class ExecutorBench
{
    public sealed record Result(string Workload, double Sequential, double[] Parallel, bool Identical);

    public static Result Run(string workload, Transaction[] genesis, Transaction[][] blocks, int maxWorkers)
    {
        var settings = ExecutionSettings.Default;
        var (sequentialTps, sequentialRoot) = Measure(new SequentialExecutor(settings), genesis, blocks);
        var parallel = new double[maxWorkers];
        var identical = true;
        for (var workers = 1; workers <= maxWorkers; workers++)
        {
            using var executor = new ParallelExecutor(settings, workers);
            var (tps, root) = Measure(executor, genesis, blocks);
            parallel[workers - 1] = tps;
            identical &= root == sequentialRoot;
        }

        return new Result(workload, sequentialTps, parallel, identical);
    }

    private static (double Tps, Hash256 Root) Measure(IBlockExecutor executor, Transaction[] genesis, Transaction[][] blocks)
    {
        var store = new AccountStore(genesis.Length * 2);
        var output = new BlockOutput();
        executor.Execute(store, genesis, 1, 0, output);
        store.TakeDirty();

        // Warm-up on the first block, then time every block: the best of two passes over fresh copies.
        var best = 0.0;
        var root = Hash256.Zero;
        for (var pass = 0; pass < 2; pass++)
        {
            var copy = store.Clone();
            var transactions = 0L;
            executor.Execute(copy, blocks[0], 2, 0, output);
            var started = Stopwatch.GetTimestamp();
            for (var b = 1; b < blocks.Length; b++)
            {
                executor.Execute(copy, blocks[b], b + 2, 0, output);
                transactions += blocks[b].Length;
            }

            best = Math.Max(best, transactions / Stopwatch.GetElapsedTime(started).TotalSeconds);
            var tree = new StateTree();
            tree.Rebuild(copy);
            root = tree.Root;
        }

        return (best, root);
    }
}
