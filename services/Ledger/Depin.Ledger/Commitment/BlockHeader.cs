using System.Buffers.Binary;

namespace Depin.Ledger.Commitment;

/// <summary>A block's commitment: the previous block's hash, the state root after the block and the receipts root.</summary>
public sealed record BlockHeader(long Height, Hash256 PreviousHash, Hash256 StateRoot, Hash256 ReceiptsRoot, long TimestampMs, int TransactionCount)
{
    public const int EncodedSize = 8 + Hash256.Size * 3 + 8 + 4;

    /// <summary>SHA-256 of the encoded header.</summary>
    public Hash256 Hash
    {
        get
        {
            Span<byte> buffer = stackalloc byte[EncodedSize];
            WriteTo(buffer);
            return Hash256.Compute(buffer);
        }
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, Height);
        PreviousHash.WriteTo(destination[8..]);
        StateRoot.WriteTo(destination[40..]);
        ReceiptsRoot.WriteTo(destination[72..]);
        BinaryPrimitives.WriteInt64LittleEndian(destination[104..], TimestampMs);
        BinaryPrimitives.WriteInt32LittleEndian(destination[112..], TransactionCount);
    }

    public static BlockHeader ReadFrom(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadInt64LittleEndian(source),
        Hash256.ReadFrom(source[8..]),
        Hash256.ReadFrom(source[40..]),
        Hash256.ReadFrom(source[72..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[104..]),
        BinaryPrimitives.ReadInt32LittleEndian(source[112..]));
}
