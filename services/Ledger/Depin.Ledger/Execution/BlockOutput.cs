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

    /// <summary>Hashes the receipt leaves of transactions [<paramref name="from"/>, <paramref name="to"/>) from their statuses.</summary>
    public void HashReceiptLeaves(ReadOnlySpan<Transaction> txs, long height, int from, int to)
    {
        for (var j = from; j < to; j++)
        {
            ReceiptLeaves[j] = ReceiptHashing.Leaf(txs[j], Statuses[j], height, j);
        }
    }

    public Hash256 ReceiptsRoot() => MerkleRoot.Compute(ReceiptLeaves, Count);
}
