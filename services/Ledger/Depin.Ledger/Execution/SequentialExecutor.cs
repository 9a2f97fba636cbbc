using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Programs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Execution;

/// <summary>The reference executor: one transaction after another, directly against the store.</summary>
public sealed class SequentialExecutor(ExecutionSettings settings) : IBlockExecutor
{
    /// <summary>Executes with block timestamp 0 (for blocks without job programs).</summary>
    public void Execute(AccountStore store, ReadOnlyMemory<Transaction> block, long height, BlockOutput output) => Execute(store, block, height, 0, output);

    public void Execute(AccountStore store, ReadOnlyMemory<Transaction> block, long height, long timestampMs, BlockOutput output)
    {
        var txs = block.Span;
        output.Reset(txs.Length);
        ExecuteStates(store, txs, 0, txs.Length, height, timestampMs, output.Statuses);
        store.Jobs.ReleaseVacantSlots();
        output.HashReceiptLeaves(txs, height, 0, txs.Length);
    }

    /// <summary>How many transactions ahead a state pass with slots looked up ahead starts loading their states.</summary>
    private const int PrefetchDistance = 8;

    /// <summary>
    /// The state transitions of transactions [<paramref name="from"/>, <paramref name="to"/>) of a block, in order, with each
    /// one's status. With <paramref name="resolved"/> the shape statuses and existing slots of that range come from a lookup
    /// ahead (<see cref="BlockSlots.Resolve"/>) instead of each transaction's own, and the states of transactions up to
    /// <paramref name="resolvedTo"/> (looked up too) are prefetched a few transactions ahead. The caller frees vacant record slots
    /// once the block's last transaction has run (<see cref="SlotStore{TKey, TValue}.ReleaseVacantSlots"/>).
    /// </summary>
    internal void ExecuteStates(AccountStore store, ReadOnlySpan<Transaction> txs, int from, int to, long height, long timestampMs, ReceiptStatus[] statuses, BlockSlots? resolved = null, int resolvedTo = 0)
    {
        var context = new BlockContext(height, timestampMs, settings.UnbondingDelayMs);
        Span<AccountId> ids = stackalloc AccountId[4];
        Span<int> slots = stackalloc int[4];
        Span<AccountState> accounts = stackalloc AccountState[4];
        for (var i = from; i < to; i++)
        {
            if (i + PrefetchDistance < resolvedTo)
            {
                resolved!.Prefetch(store, i + PrefetchDistance);
            }

            ref readonly var tx = ref txs[i];
            var status = resolved is null ? NativePrograms.CheckShape(tx) : statuses[i];
            if (status == ReceiptStatus.Success)
            {
                var count = resolved?.AccountCount(i) ?? tx.DeclaredAccounts(ids);
                for (var k = 0; k < count; k++)
                {
                    slots[k] = resolved?.AccountSlot(store, i, k) ?? store.GetOrAddSlot(ids[k]);
                    accounts[k] = store.StateAt(slots[k]);
                }

                var jobSlot = resolved is not null ? resolved.RecordSlot(store, tx, i) : tx.HasJobRecord ? store.Jobs.GetOrAddSlot(tx.Job) : -1;
                var job = jobSlot >= 0 ? store.Jobs.StateAt(jobSlot) : default;

                status = NativePrograms.Execute(tx, context, accounts[..count], ref job, out var mask);
                if ((mask & NativePrograms.RecordWritten) != 0)
                {
                    store.Jobs.StateAt(jobSlot) = job;
                    store.Jobs.MarkDirty(jobSlot);
                }

                for (var k = 0; k < count; k++)
                {
                    if ((mask & (1 << k)) != 0)
                    {
                        store.StateAt(slots[k]) = accounts[k];
                        store.MarkDirty(slots[k]);
                    }
                }
            }

            statuses[i] = status;
        }
    }
}
