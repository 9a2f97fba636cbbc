using System.Buffers.Binary;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Commitment;

/// <summary>The receipt leaf: SHA-256(0x00 ‖ tx id ‖ program ‖ status ‖ height ‖ index).</summary>
public static class ReceiptHashing
{
    public static Hash256 Leaf(in Transaction tx, ReceiptStatus status, long height, int index)
    {
        Span<byte> buffer = stackalloc byte[1 + TxId.Size + 1 + 1 + 8 + 4];
        buffer[0] = 0;
        tx.Id.WriteTo(buffer[1..]);
        buffer[17] = (byte)tx.Program;
        buffer[18] = (byte)status;
        BinaryPrimitives.WriteInt64LittleEndian(buffer[19..], height);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[27..], index);
        return Hash256.Compute(buffer);
    }
}
