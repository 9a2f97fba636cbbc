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
        var progress = 0;
        ExecuteStates(store, txs, height, timestampMs, output.Statuses, ref progress, publishEvery: int.MaxValue);
        for (var i = 0; i < txs.Length; i++)
        {
            output.ReceiptLeaves[i] = ReceiptHashing.Leaf(txs[i], output.Statuses[i], height, i);
        }
    }

    /// <summary>
    /// The state transitions of a block, in order, with each transaction's status; every <paramref name="publishEvery"/>
    /// transactions (and at the end) the count done so far is written to <paramref name="progress"/> (release), so another
    /// thread can hash the receipts behind it (<see cref="PipelinedExecutor"/>). With <paramref name="resolved"/> the shape
    /// statuses and existing slots come from that lookup ahead (<see cref="BlockSlots.Resolve"/>) instead of each transaction's own.
    /// </summary>
    internal void ExecuteStates(AccountStore store, ReadOnlySpan<Transaction> txs, long height, long timestampMs, ReceiptStatus[] statuses, ref int progress, int publishEvery, BlockSlots? resolved = null)
    {
        var context = new BlockContext(height, timestampMs, settings.UnbondingDelayMs);
        Span<AccountId> ids = stackalloc AccountId[4];
        Span<int> slots = stackalloc int[4];
        Span<AccountState> accounts = stackalloc AccountState[4];
        for (var i = 0; i < txs.Length; i++)
        {
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
            if ((i + 1) % publishEvery == 0)
            {
                Volatile.Write(ref progress, i + 1);
            }
        }

        store.Jobs.ReleaseVacantSlots();
        Volatile.Write(ref progress, txs.Length);
    }
}
