using System.Diagnostics;
using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Node;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Bench;

/// <summary>
/// In-memory execution: the sequential reference against the scheduled, Block-STM, pipelined and adaptive executors on
/// identical blocks, timed two ways: execution with its receipts root, and whole blocks as the node commits them (also
/// the state tree, which the node updates on every core whichever executor ran).
/// </summary>
internal static class ExecutorBench
{
    public sealed record Result(string Workload, double Sequential, double[] Scheduled, double[] BlockStm, double Pipelined, double Adaptive, bool Identical, double AdaptiveBytesPerTransaction, WholeBlocks Node);

    /// <summary>
    /// Whole blocks per second as the node commits them, in transactions per second. <paramref name="Sequential"/> runs
    /// everything on one thread, the state tree too; <paramref name="SequentialTreeOnEveryCore"/> is a node running the
    /// sequential executor, whose tree hashes its large levels on every core.
    /// </summary>
    public sealed record WholeBlocks(double Sequential, double SequentialTreeOnEveryCore, double Pipelined, double Adaptive);

    /// <summary>
    /// Runs the blocks on each executor, in <paramref name="rounds"/> rounds that take every executor in turn (so none is
    /// timed while the JIT is still tiering the code they share, and each gets the machine's quiet moments as often), and
    /// keeps each one's best; the first <paramref name="untimed"/> blocks warm up (and fill pipelines) untimed.
    /// </summary>
    public static Result Run(string workload, Transaction[] genesis, Transaction[][] blocks, int maxWorkers, int untimed = 1, int rounds = 3)
    {
        // A clean heap for each row: the rows before this one left hundreds of megabytes behind (stores and trees of
        // 1,000,000 accounts), and a background collection of them during the row took a core from it (the mix measured
        // 1.65 M transactions/s sequentially after those rows, 3.96 M on its own).
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var settings = ExecutionSettings.Default;
        var state = GenesisState(genesis);
        var sequential = 0.0;
        var scheduled = new double[maxWorkers];
        var blockStm = new double[maxWorkers];
        var adaptive = 0.0;
        var adaptiveBytes = double.MaxValue;
        var pipelined = 0.0;
        // Whole blocks: sequential on one thread, sequential with its tree on every core, pipelined, adaptive.
        var whole = new double[4];
        var identical = true;
        var executors = new List<(IBlockExecutor Executor, Action<double> Keep, int Whole)>
        {
            (new SequentialExecutor(settings), tps => sequential = Math.Max(sequential, tps), 1),
        };
        for (var workers = 1; workers <= maxWorkers; workers++)
        {
            var index = workers - 1;
            executors.Add((ParallelExecutors.Create(ParallelExecution.Scheduled, settings, workers), tps => scheduled[index] = Math.Max(scheduled[index], tps), -1));
            executors.Add((ParallelExecutors.Create(ParallelExecution.BlockStm, settings, workers), tps => blockStm[index] = Math.Max(blockStm[index], tps), -1));
        }

        executors.Add((ParallelExecutors.Create(ParallelExecution.Pipelined, settings, maxWorkers), tps => pipelined = Math.Max(pipelined, tps), 2));

        // What the ledger node runs: the fastest of sequential, pipelined and scheduled for the traffic, chosen as blocks
        // arrive. A node has run many blocks before it is busy; so has this one before it is timed (its candidates'
        // code tiered by the JIT, its estimates settled), on a copy of the genesis state it then throws away.
        var node = NodeExecutor(settings, maxWorkers);
        WarmUp(node, state, blocks, AdaptiveWarmUpBlocks);
        executors.Add((node, tps => adaptive = Math.Max(adaptive, tps), 3));
        Hash256? reference = null;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (executor, keep, wholeAt) in executors)
            {
                var (tps, root, bytes) = Measure(executor, state, blocks, untimed, wholeBlocks: false);
                keep(tps);
                if (ReferenceEquals(executor, node))
                {
                    adaptiveBytes = Math.Min(adaptiveBytes, bytes);
                }

                reference ??= root;
                identical &= root == reference;
                if (wholeAt >= 0)
                {
                    (tps, root, _) = Measure(executor, state, blocks, untimed, wholeBlocks: true);
                    whole[wholeAt] = Math.Max(whole[wholeAt], tps);
                    identical &= root == reference;
                }

                if (executor is SequentialExecutor)
                {
                    (tps, root, _) = Measure(executor, state, blocks, untimed, wholeBlocks: true, oneThreadTree: true);
                    whole[0] = Math.Max(whole[0], tps);
                    identical &= root == reference;
                }
            }
        }

        foreach (var (executor, _, _) in executors)
        {
            (executor as IDisposable)?.Dispose();
        }

        return new Result(workload, sequential, scheduled, blockStm, pipelined, adaptive, identical, adaptiveBytes, new WholeBlocks(whole[0], whole[1], whole[2], whole[3]));
    }

    /// <summary>The adaptive executor a ledger node with the default options runs on <paramref name="workers"/> threads.</summary>
    public static AdaptiveExecutor NodeExecutor(ExecutionSettings settings, int workers)
    {
        var defaults = new LedgerOptions();
        return ParallelExecutors.CreateAdaptive(defaults.Executor, settings, workers, defaults.ParallelThreshold);
    }

    /// <summary>
    /// Runs the blocks on one executor over and over for <paramref name="duration"/> (for a profiler to attach:
    /// <c>--profile mix pipelined 20</c>, <c>--whole</c> for whole blocks); returns transactions per second.
    /// </summary>
    public static double Loop(IBlockExecutor executor, Transaction[] genesis, Transaction[][] blocks, TimeSpan duration, bool wholeBlocks)
    {
        var state = GenesisState(genesis);
        var started = Stopwatch.GetTimestamp();
        var total = 0.0;
        var runs = 0;
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            total += Measure(executor, state, blocks, 1, wholeBlocks).Tps;
            runs++;
        }

        return total / runs;
    }

    /// <summary>Blocks the adaptive executor runs untimed before the rounds (the workload's blocks, over and over).</summary>
    private const int AdaptiveWarmUpBlocks = 96;

    private static void WarmUp(IBlockExecutor executor, AccountStore genesis, Transaction[][] blocks, int count)
    {
        var output = new BlockOutput();
        var store = genesis.Clone();
        for (var i = 0; i < count; i++)
        {
            if (i % blocks.Length == 0 && i > 0)
            {
                store = genesis.Clone();
            }

            var b = i % blocks.Length;
            executor.Execute(store, blocks[b], b + 2, Workloads.Timestamp(b + 2), output);
            TakeDirty(store);
        }
    }

    /// <summary>The state after the genesis block, executed once by the sequential executor (setup: no executor under test runs it, as a node runs its genesis once).</summary>
    private static AccountStore GenesisState(Transaction[] genesis)
    {
        var store = new AccountStore(genesis.Length * 2);
        new SequentialExecutor(ExecutionSettings.Default).Execute(store, genesis, 1, Workloads.Timestamp(1), new BlockOutput());
        TakeDirty(store);
        return store;
    }

    /// <summary>What the node's state tree does after every block: takes the changed slots (untimed here, as it is not the executor's work).</summary>
    private static void TakeDirty(AccountStore store)
    {
        store.TakeDirty();
        store.Jobs.TakeDirty();
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

    /// <summary>
    /// Transactions per second, the state root, and the bytes allocated per transaction (every thread) while timed.
    /// Each block is timed with its receipts root (part of the executor's output: the pipelined executor's workers hash
    /// most of it with the leaves); <paramref name="wholeBlocks"/>: also with the state tree update, as the node commits
    /// it (on the calling thread alone with <paramref name="oneThreadTree"/>); otherwise the changed slots are taken between
    /// blocks, untimed, as the node's state tree takes them.
    /// </summary>
    private static (double Tps, Hash256 Root, double BytesPerTransaction) Measure(IBlockExecutor executor, AccountStore genesis, Transaction[][] blocks, int untimed, bool wholeBlocks, bool oneThreadTree = false)
    {
        var output = new BlockOutput();
        var copy = genesis.Clone();
        var tree = new LedgerStateTree(oneThreadTree);
        if (wholeBlocks)
        {
            tree.Rebuild(copy);
        }

        var transactions = 0L;
        var elapsed = 0L;
        var allocated = 0L;
        var receipts = default(Hash256);
        for (var b = 0; b < blocks.Length; b++)
        {
            if (b == untimed)
            {
                allocated = GC.GetTotalAllocatedBytes(precise: true);
            }

            var started = Stopwatch.GetTimestamp();
            executor.Execute(copy, blocks[b], b + 2, Workloads.Timestamp(b + 2), output);
            receipts = output.ReceiptsRoot();
            if (wholeBlocks)
            {
                tree.Update(copy, executor.Helpers);
            }

            if (b >= untimed)
            {
                elapsed += Stopwatch.GetTimestamp() - started;
                transactions += blocks[b].Length;
            }

            if (!wholeBlocks)
            {
                TakeDirty(copy);
            }
        }

        var bytes = (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / transactions;
        if (!wholeBlocks)
        {
            tree.Rebuild(copy);
        }

        if (receipts == default)
        {
            throw new InvalidOperationException("no receipts root");
        }

        return (transactions / ((double)elapsed / Stopwatch.Frequency), tree.Root, bytes);
    }
}
