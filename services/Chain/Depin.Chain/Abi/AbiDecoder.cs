using System.Numerics;
using System.Text;

namespace Depin.Chain;

/// <summary>Reads values out of ABI-encoded return data by head slot index.</summary>
public sealed class AbiDecoder(ReadOnlyMemory<byte> data)
{
    public ReadOnlyMemory<byte> Data { get; } = data;

    public BigInteger Uint256(int slot) => new(WordAt(32 * slot), isUnsigned: true, isBigEndian: true);

    /// <summary>A uint256 known to fit in 128 bits (token amounts); larger values throw.</summary>
    public UInt128 UInt128(int slot)
    {
        ReadOnlySpan<byte> word = WordAt(32 * slot);
        if (word[..16].ContainsAnyExcept((byte)0))
        {
            throw new OverflowException("uint256 value does not fit in UInt128.");
        }

        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(word[16..]);
    }

    public ulong UInt64(int slot) => (ulong)UInt128(slot);

    public Address Address(int slot)
    {
        ReadOnlySpan<byte> word = WordAt(32 * slot);
        if (word[..12].ContainsAnyExcept((byte)0))
        {
            throw new FormatException("Address word has non-zero high bytes.");
        }

        return new Address(word[12..]);
    }

    public bool Bool(int slot)
    {
        ReadOnlySpan<byte> word = WordAt(32 * slot);
        if (word[..31].ContainsAnyExcept((byte)0) || word[31] > 1)
        {
            throw new FormatException("Bool word is neither 0 nor 1.");
        }

        return word[31] == 1;
    }

    public Hash32 Bytes32(int slot) => new(WordAt(32 * slot));

    public byte[] Bytes(int slot)
    {
        int offset = Offset(WordAt(32 * slot));
        int length = Offset(WordAt(offset));
        if ((long)offset + 32 + length > Data.Length)
        {
            throw new FormatException("Dynamic bytes run past the end of the data.");
        }

        return Data.Span.Slice(offset + 32, length).ToArray();
    }

    public string String(int slot) => Encoding.UTF8.GetString(Bytes(slot));

    public Hash32[] Bytes32Array(int slot)
    {
        int offset = Offset(WordAt(32 * slot));
        int length = Offset(WordAt(offset));
        var values = new Hash32[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = new Hash32(WordAt(offset + 32 * (i + 1)));
        }

        return values;
    }

    private ReadOnlySpan<byte> WordAt(int offset)
    {
        if (offset < 0 || (long)offset + 32 > Data.Length)
        {
            throw new FormatException($"ABI data of {Data.Length} bytes has no word at offset {offset}.");
        }

        return Data.Span.Slice(offset, 32);
    }

    private static int Offset(ReadOnlySpan<byte> word)
    {
        if (word[..28].ContainsAnyExcept((byte)0))
        {
            throw new FormatException("ABI offset or length is too large.");
        }

        uint value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(word[28..]);
        return value > int.MaxValue ? throw new FormatException("ABI offset or length is too large.") : (int)value;
    }
}
