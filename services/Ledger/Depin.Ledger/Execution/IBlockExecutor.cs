using Depin.Ledger.Transactions;

namespace Depin.Ledger.Execution;

/// <summary>Executes an ordered block against the store, applying its effects and filling the output.</summary>
public interface IBlockExecutor
{
    void Execute(AccountStore store, ReadOnlyMemory<Transaction> block, long height, BlockOutput output);
}
