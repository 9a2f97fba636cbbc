using Depin.Ledger.Execution;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Jobs;

/// <summary>Committed job records by job id, in dense slots of their own. Single writer.</summary>
public sealed class JobStore(int capacity = 1024) : SlotStore<TxId, JobRecord>(capacity)
{
    /// <summary>Micro-credits held in escrow by all records.</summary>
    public Int128 TotalEscrow()
    {
        Int128 total = 0;
        for (var i = 0; i < Count; i++)
        {
            total += StateAt(i).Escrow;
        }

        return total;
    }

    public JobStore Clone()
    {
        var copy = new JobStore(Capacity);
        CopyTo(copy);
        return copy;
    }
}
