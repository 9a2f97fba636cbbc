using Depin.Ledger.Commitment;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Execution;

/// <summary>Per-transaction results of one block, in block order. Reused across blocks.</summary>
public sealed class BlockOutput
{
    public ReceiptStatus[] Statuses { get; private set; } = [];

    public Hash256[] ReceiptLeaves { get; private set; } = [];

    public int Count { get; private set; }

    public void Reset(int count)
    {
        if (Statuses.Length < count)
        {
            Statuses = new ReceiptStatus[count];
            ReceiptLeaves = new Hash256[count];
        }

        Count = count;
    }

    public Hash256 ReceiptsRoot() => MerkleRoot.Compute(ReceiptLeaves, Count);
}
