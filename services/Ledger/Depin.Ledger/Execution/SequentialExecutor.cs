using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Programs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Execution;

/// <summary>The reference executor: one transaction after another, directly against the store.</summary>
public sealed class SequentialExecutor(ExecutionSettings settings) : IBlockExecutor
{
    public void Execute(AccountStore store, ReadOnlyMemory<Transaction> block, long height, BlockOutput output)
    {
        var txs = block.Span;
        output.Reset(txs.Length);
        Span<AccountId> ids = stackalloc AccountId[4];
        Span<int> slots = stackalloc int[4];
        Span<AccountState> accounts = stackalloc AccountState[4];
        for (var i = 0; i < txs.Length; i++)
        {
            ref readonly var tx = ref txs[i];
            var status = NativePrograms.CheckShape(tx);
            if (status == ReceiptStatus.Success)
            {
                var count = tx.DeclaredAccounts(ids);
                for (var k = 0; k < count; k++)
                {
                    slots[k] = store.GetOrAddSlot(ids[k]);
                    accounts[k] = store.StateAt(slots[k]);
                }

                status = NativePrograms.Execute(tx, height, settings.UnbondingBlocks, accounts[..count], out var mask);
                for (var k = 0; k < count; k++)
                {
                    if ((mask & (1 << k)) != 0)
                    {
                        store.StateAt(slots[k]) = accounts[k];
                        store.MarkDirty(slots[k]);
                    }
                }
            }

            output.Statuses[i] = status;
            output.ReceiptLeaves[i] = ReceiptHashing.Leaf(tx, status, height, i);
        }
    }
}
