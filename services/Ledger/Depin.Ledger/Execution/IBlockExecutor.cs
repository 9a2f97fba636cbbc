using Depin.Ledger.Transactions;

namespace Depin.Ledger.Execution;

/// <summary>Executes an ordered block against the store, applying its effects and filling the output.</summary>
public interface IBlockExecutor
{
    /// <summary>Executes at <paramref name="height"/> with the block timestamp <paramref name="timestampMs"/> (Unix ms, chosen before execution).</summary>
    void Execute(AccountStore store, ReadOnlyMemory<Transaction> block, long height, long timestampMs, BlockOutput output);

    /// <summary>
    /// The threads that ran the last block beside the caller, if any: they watch for more work for a moment after a
    /// block, so the node's state tree update that follows shares its hashing with them.
    /// </summary>
    WorkerGroup? Helpers => null;
}
