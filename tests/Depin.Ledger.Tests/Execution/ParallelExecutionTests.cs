using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Transactions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Depin.Ledger.Tests.Execution;

public sealed class ParallelExecutionTests
{
    private static readonly ExecutionSettings Settings = new(UnbondingDelayMs: 2_000);

    [Property(MaxTest = 60)]
    public Property Parallel_execution_equals_sequential_for_random_blocks() =>
        Prop.ForAll(
            (from accounts in Gen.Choose(1, 300)
             from blockSize in Gen.Choose(1, 5_000)
             from workers in Gen.Choose(1, 6)
             from seed in Gen.Choose(0, int.MaxValue)
             select (accounts, blockSize, workers, seed)).ToArbitrary(),
            c => SameOutcome(c.accounts, c.blockSize, c.workers, c.seed, blocks: 3));

    [Property(MaxTest = 60)]
    public Property Scheduled_execution_equals_sequential_for_random_blocks() =>
        Prop.ForAll(
            (from accounts in Gen.Choose(1, 3_000)
             from blockSize in Gen.Choose(1, 5_000)
             from workers in Gen.Choose(1, 8)
             from seed in Gen.Choose(0, int.MaxValue)
             select (accounts, blockSize, workers, seed)).ToArbitrary(),
            c => SameOutcome(c.accounts, c.blockSize, c.workers, c.seed, blocks: 3, ParallelExecution.Scheduled));

    [Property(MaxTest = 40)]
    public Property Pipelined_execution_equals_sequential_for_random_blocks() =>
        Prop.ForAll(
            (from accounts in Gen.Choose(1, 3_000)
             from blockSize in Gen.Choose(1, 5_000)
             from workers in Gen.Choose(1, 8)
             from seed in Gen.Choose(0, int.MaxValue)
             select (accounts, blockSize, workers, seed)).ToArbitrary(),
            c => SameOutcome(c.accounts, c.blockSize, c.workers, c.seed, blocks: 3, ParallelExecution.Pipelined));

    [Theory]
    [InlineData(2, 1, ParallelExecution.BlockStm)]
    [InlineData(2, 2, ParallelExecution.BlockStm)]
    [InlineData(2, 8, ParallelExecution.BlockStm)]
    [InlineData(10, 2, ParallelExecution.BlockStm)]
    [InlineData(1_000, 3, ParallelExecution.BlockStm)]
    [InlineData(100_000, 2, ParallelExecution.BlockStm)]
    [InlineData(2, 2, ParallelExecution.Scheduled)]
    [InlineData(10, 8, ParallelExecution.Scheduled)]
    [InlineData(100, 2, ParallelExecution.Scheduled)]
    [InlineData(1_000, 3, ParallelExecution.Scheduled)]
    [InlineData(10_000, 8, ParallelExecution.Scheduled)]
    [InlineData(100_000, 2, ParallelExecution.Scheduled)]
    [InlineData(2, 2, ParallelExecution.Pipelined)]
    [InlineData(1_000, 3, ParallelExecution.Pipelined)]
    [InlineData(100_000, 8, ParallelExecution.Pipelined)]
    public void Parallel_execution_equals_sequential_at_every_contention_level(int accounts, int workers, ParallelExecution kind) =>
        Assert.True(SameOutcome(accounts, 20_000, workers, seed: accounts * 31 + workers, blocks: 2, kind));

    [Theory]
    [InlineData(2, 2)]
    [InlineData(300, 2)]
    [InlineData(3_000, 4)]
    public void Pipelined_helpers_looking_up_ahead_while_the_state_pass_adds_give_the_sequential_outcome(int accounts, int workers)
    {
        var sequentialStore = new AccountStore();
        var pipelinedStore = new AccountStore();
        var sequential = new SequentialExecutor(Settings);
        using var pipelined = new PipelinedExecutor(Settings, workers) { LookAheadFirst = true };
        var expected = new BlockOutput();
        var actual = new BlockOutput();
        var sequentialTree = new LedgerStateTree();
        var pipelinedTree = new LedgerStateTree();
        var genesis = RandomBlocks.Genesis(accounts, 5_000);
        sequential.Execute(sequentialStore, genesis, 1, expected);
        pipelined.Execute(pipelinedStore, genesis, 1, 0, actual);
        var random = new Random(accounts);
        var jobs = new List<TxId>();
        var lookedUpAhead = 0;
        for (var height = 2; height < 8; height++)
        {
            // Jobs and escrow accounts appear in every block, so lookups run while the state pass adds keys.
            var block = RandomBlocks.Block(random, 8_000, accounts, jobs);
            sequential.Execute(sequentialStore, block, height, height * 1_000, expected);
            pipelined.Execute(pipelinedStore, block, height, height * 1_000, actual);
            lookedUpAhead += pipelined.LastBlockChunksLookedUpAhead;

            Assert.Equal(expected.Statuses.AsSpan(0, block.Length).ToArray(), actual.Statuses.AsSpan(0, block.Length).ToArray());
            Assert.Equal(expected.ReceiptsRoot(), actual.ReceiptsRoot());
            Assert.Equal(sequentialTree.Update(sequentialStore), pipelinedTree.Update(pipelinedStore));
            Assert.Equal(sequentialStore.Count, pipelinedStore.Count);
        }

        Assert.True(lookedUpAhead > 0, "no helper looked up a chunk ahead of the state pass");
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(10_000, false)]
    public void Scheduled_execution_runs_a_block_of_hot_neighbours_in_order_and_spreads_the_rest(int accounts, bool inOrder)
    {
        var store = new AccountStore();
        var output = new BlockOutput();
        using var executor = new ScheduledExecutor(Settings, 2);
        executor.Execute(store, RandomBlocks.Genesis(accounts, 5_000), 1, output);
        executor.Execute(store, RandomBlocks.Block(new Random(3), 5_000, accounts, []), 2, 2_000, output);

        Assert.Equal(inOrder, executor.LastBlockInOrder);
    }

    [Fact]
    public void Money_is_conserved_except_for_deposits_and_withdrawals()
    {
        var random = new Random(7);
        var store = new AccountStore();
        var output = new BlockOutput();
        using var executor = new ParallelExecutor(Settings, 2);
        var jobs = new List<TxId>();
        executor.Execute(store, RandomBlocks.Genesis(50, 1_000_000), 1, output);
        for (var height = 2; height < 12; height++)
        {
            var before = store.TotalHoldings();
            var block = RandomBlocks.Block(random, 3_000, 50, jobs);
            executor.Execute(store, block, height, height * 1_000, output);
            Int128 minted = 0;
            for (var i = 0; i < block.Length; i++)
            {
                if (output.Statuses[i] != ReceiptStatus.Success)
                {
                    continue;
                }

                minted += block[i].Program switch
                {
                    ProgramKind.Deposit => block[i].Amount,
                    ProgramKind.BridgeRelease => -block[i].Amount,
                    _ => 0,
                };
            }

            Assert.Equal(before + minted, store.TotalHoldings());
        }
    }

    private static bool SameOutcome(int accounts, int blockSize, int workers, int seed, int blocks, ParallelExecution kind = ParallelExecution.BlockStm)
    {
        var sequentialStore = new AccountStore();
        var parallelStore = new AccountStore();
        var sequential = new SequentialExecutor(Settings);
        using var parallel = ParallelExecutors.Create(kind, Settings, workers);
        var sequentialOutput = new BlockOutput();
        var parallelOutput = new BlockOutput();
        var sequentialTree = new LedgerStateTree();
        var parallelTree = new LedgerStateTree();

        var genesis = RandomBlocks.Genesis(accounts, 5_000);
        sequential.Execute(sequentialStore, genesis, 1, sequentialOutput);
        parallel.Execute(parallelStore, genesis, 1, 0, parallelOutput);

        var random = new Random(seed);
        var jobs = new List<TxId>();
        for (var height = 2; height < 2 + blocks; height++)
        {
            var block = RandomBlocks.Block(random, blockSize, accounts, jobs);
            sequential.Execute(sequentialStore, block, height, height * 1_000, sequentialOutput);
            parallel.Execute(parallelStore, block, height, height * 1_000, parallelOutput);
            if (!sequentialOutput.Statuses.AsSpan(0, blockSize).SequenceEqual(parallelOutput.Statuses.AsSpan(0, blockSize)) ||
                sequentialOutput.ReceiptsRoot() != parallelOutput.ReceiptsRoot() ||
                sequentialTree.Update(sequentialStore) != parallelTree.Update(parallelStore) ||
                sequentialStore.Count != parallelStore.Count)
            {
                return false;
            }
        }

        return true;
    }
}
