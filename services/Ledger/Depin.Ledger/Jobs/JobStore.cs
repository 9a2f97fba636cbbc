using Depin.Ledger.Execution;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Jobs;

/// <summary>
/// Committed job records by job id, in dense slots of their own. The slot of an empty record (pruned, or never created
/// because its submission failed) is freed at the end of its block. Single writer.
/// </summary>
public sealed class JobStore(int capacity = 1024) : SlotStore<TxId, JobRecord>(capacity)
{
    protected override bool TracksVacancy => true;

    protected override bool IsVacant(in JobRecord value) => value.IsEmpty;

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
