using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Tests.Commitment;

public sealed class StateTreeTests
{
    private static readonly ExecutionSettings Settings = new(UnbondingDelayMs: 2_000);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_tree_updated_block_by_block_while_the_stores_double_equals_one_rebuilt_from_scratch(int seed)
    {
        // A store of 3 accounts that grows past 2,000 accounts and hundreds of job records: the incremental tree doubles
        // many times (without hashing itself again), and after every block its root and proofs must be those of a tree
        // built from the whole store.
        var store = new AccountStore(16);
        var executor = new SequentialExecutor(Settings);
        var output = new BlockOutput();
        var tree = new LedgerStateTree();
        executor.Execute(store, RandomBlocks.Genesis(3, 50_000), 1, output);
        var random = new Random(seed);
        var jobs = new List<TxId>();
        var now = 1_700_000_000_000L;
        var accounts = 3;
        var grown = 0;
        for (var height = 2; height < 40; height++)
        {
            var before = (Accounts: store.Count, Jobs: store.Jobs.Count);
            now += RandomJobBlocks.Second;
            accounts += random.Next(0, 300);
            var block = height % 3 == 0
                ? RandomJobBlocks.Block(random, store, random.Next(1, 400), accounts, now, jobs)
                : RandomBlocks.Block(random, random.Next(1, 400), accounts, jobs);
            executor.Execute(store, block, height, now, output);

            var incremental = tree.Update(store);
            var rebuilt = new LedgerStateTree();
            rebuilt.Rebuild(store);
            Assert.Equal(rebuilt.Root, incremental);
            for (var probe = 0; probe < 8; probe++)
            {
                var slot = random.Next(store.Count);
                Assert.Equal(rebuilt.AccountSiblings(slot), tree.AccountSiblings(slot));
            }

            if (store.Jobs.Count > 0)
            {
                var record = random.Next(store.Jobs.Count);
                var (index, siblings) = tree.JobPath(record);
                Assert.Equal(rebuilt.JobPath(record).Index, index);
                Assert.Equal(rebuilt.JobPath(record).Siblings, siblings);
            }

            grown += Doublings(before.Accounts, store.Count) + Doublings(before.Jobs, store.Jobs.Count);
        }

        Assert.True(store.Count > 2_000, $"the store holds {store.Count} accounts");
        Assert.True(grown >= 10, $"the trees doubled {grown} times");
    }

    [Fact]
    public void A_tree_hashed_sixteen_at_a_time_shared_with_helpers_or_on_one_thread_equals_one_hashed_one_by_one()
    {
        var store = new AccountStore(16);
        var executor = new SequentialExecutor(Settings);
        var output = new BlockOutput();
        var (accountsTogether, jobsTogether) = (new StateTree(), new StateTree());
        var (accountsOneByOne, jobsOneByOne) = (new StateTree(), new StateTree());
        var (accountsShared, jobsShared) = (new StateTree(), new StateTree());
        var (accountsOneThread, jobsOneThread) = (new StateTree(oneThread: true), new StateTree(oneThread: true));
        using var helpers = new WorkerGroup(3);
        executor.Execute(store, RandomBlocks.Genesis(3_000, 50_000), 1, output);
        var random = new Random(11);
        var jobs = new List<TxId>();
        var now = 1_700_000_000_000L;
        for (var height = 2; height < 12; height++)
        {
            now += RandomJobBlocks.Second;
            var block = height % 2 == 0
                ? RandomJobBlocks.Block(random, store, random.Next(100, 3_000), 3_500, now, jobs)
                : RandomBlocks.Block(random, random.Next(100, 5_000), 3_500, jobs);
            executor.Execute(store, block, height, now, output);

            var (dirtyAccounts, dirtyJobs) = (store.TakeDirty(), store.Jobs.TakeDirty());
            var expected = (Accounts: default(Hash256), Jobs: default(Hash256));
            var actual = expected;
            Sha256Lanes.With(false, () => expected = (accountsOneByOne.Update(store, dirtyAccounts), jobsOneByOne.Update(store.Jobs, dirtyJobs)));
            Sha256Lanes.With(Sha256Lanes.Fastest, () => actual = (accountsTogether.Update(store, dirtyAccounts), jobsTogether.Update(store.Jobs, dirtyJobs)));

            var shared = expected;
            Sha256Lanes.With(Sha256Lanes.Fastest, () => shared = (accountsShared.Update(store, dirtyAccounts, helpers), jobsShared.Update(store.Jobs, dirtyJobs, helpers)));

            // Given helpers, a one-thread tree (the sequential baseline's) still hashes every level itself.
            var oneThread = expected;
            Sha256Lanes.With(Sha256Lanes.Fastest, () => oneThread = (accountsOneThread.Update(store, dirtyAccounts, helpers), jobsOneThread.Update(store.Jobs, dirtyJobs, helpers)));

            Assert.Equal(expected, actual);
            Assert.Equal(expected, shared);
            Assert.Equal(expected, oneThread);
            var slot = random.Next(store.Count);
            Assert.Equal(accountsOneByOne.Siblings(slot), accountsTogether.Siblings(slot));
            Assert.Equal(accountsOneByOne.Siblings(slot), accountsShared.Siblings(slot));
            Assert.Equal(accountsOneByOne.Siblings(slot), accountsOneThread.Siblings(slot));
        }

        Assert.True(store.Jobs.Count > 0, "the blocks opened no job record");
    }

    /// <summary>How many times a tree sized for <paramref name="before"/> slots (the next power of two) doubled to hold <paramref name="after"/>.</summary>
    private static int Doublings(int before, int after) => Log2Ceiling(after) - Log2Ceiling(before);

    private static int Log2Ceiling(int count) => System.Numerics.BitOperations.Log2(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(count, 1)));
}
