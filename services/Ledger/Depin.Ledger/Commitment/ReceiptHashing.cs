using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Commitment;

/// <summary>The receipt leaf: SHA-256(0x00 ‖ tx id ‖ program ‖ status ‖ height ‖ index).</summary>
public static unsafe class ReceiptHashing
{
    private const int LeafSize = 1 + TxId.Size + 1 + 1 + 8 + 4;

    public static Hash256 Leaf(in Transaction tx, ReceiptStatus status, long height, int index)
    {
        Span<byte> buffer = stackalloc byte[LeafSize];
        Write(buffer, tx, status, height, index);
        return Hash256.Compute(buffer);
    }

    /// <summary>leaves[j] = <see cref="Leaf"/> of txs[j] for j in [from, to): sixteen at a time where the CPU can.</summary>
    [SkipLocalsInit]
    public static void Leaves(ReadOnlySpan<Transaction> txs, ReadOnlySpan<ReceiptStatus> statuses, long height, int from, int to, Span<Hash256> leaves)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, Math.Min(leaves.Length, Math.Min(txs.Length, statuses.Length)));
        var j = from;
        if (Sha256x16.Enabled && to - from >= Sha256x16.Lanes)
        {
            const int Stride = 64;
            var lanes = stackalloc byte[Sha256x16.Lanes * Stride];
            fixed (Hash256* output = leaves)
            {
                for (; j + Sha256x16.Lanes <= to; j += Sha256x16.Lanes)
                {
                    for (var lane = 0; lane < Sha256x16.Lanes; lane++)
                    {
                        Write(new Span<byte>(lanes + lane * Stride, LeafSize), txs[j + lane], statuses[j + lane], height, j + lane);
                    }

                    Sha256x16.Messages(lanes, Stride, LeafSize, output + j);
                }
            }
        }

        for (; j < to; j++)
        {
            leaves[j] = Leaf(txs[j], statuses[j], height, j);
        }
    }

    private static void Write(Span<byte> buffer, in Transaction tx, ReceiptStatus status, long height, int index)
    {
        buffer[0] = 0;
        tx.Id.WriteTo(buffer[1..]);
        buffer[17] = (byte)tx.Program;
        buffer[18] = (byte)status;
        BinaryPrimitives.WriteInt64LittleEndian(buffer[19..], height);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[27..], index);
    }
}
