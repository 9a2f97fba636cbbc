using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;

namespace Depin.Ledger.Bench;

/// <summary>Memory held per account by the state (slot table, index) and its Merkle tree.</summary>
internal static class MemoryBench
{
    public static double BytesPerAccount(int accounts)
    {
        var genesis = Workloads.Genesis(accounts, 1_000);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var store = new AccountStore();
        new SequentialExecutor(ExecutionSettings.Default).Execute(store, genesis, 1, new BlockOutput());
        var tree = new StateTree();
        tree.Update(store, store.TakeDirty());
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(store);
        GC.KeepAlive(tree);
        GC.KeepAlive(genesis);
        return (after - before) / (double)accounts;
    }
}
