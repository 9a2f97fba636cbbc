using System.Numerics;

namespace Depin.Chain;

/// <summary>Recursive Length Prefix encoding (Ethereum Yellow Paper, appendix B).</summary>
public static class Rlp
{
    public static byte[] EncodeBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < 0x80)
        {
            return [value[0]];
        }

        return [.. Prefix(0x80, value.Length), .. value];
    }

    /// <summary>A scalar as its minimal big-endian bytes; zero is the empty string.</summary>
    public static byte[] EncodeUInt(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "RLP scalars are non-negative.");
        }

        return EncodeBytes(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    public static byte[] EncodeUInt(ulong value) => EncodeUInt(new BigInteger(value));

    public static byte[] EncodeAddress(Address? address) => address is { } a ? EncodeBytes(a.Span) : EncodeBytes([]);

    /// <summary>A list of already encoded items.</summary>
    public static byte[] EncodeList(params IReadOnlyList<byte[]> encodedItems)
    {
        int length = 0;
        foreach (byte[] item in encodedItems)
        {
            length += item.Length;
        }

        byte[] prefix = Prefix(0xc0, length);
        byte[] output = new byte[prefix.Length + length];
        prefix.CopyTo(output, 0);
        int at = prefix.Length;
        foreach (byte[] item in encodedItems)
        {
            item.CopyTo(output, at);
            at += item.Length;
        }

        return output;
    }

    private static byte[] Prefix(byte offset, int length)
    {
        if (length < 56)
        {
            return [(byte)(offset + length)];
        }

        byte[] lengthBytes = new BigInteger(length).ToByteArray(isUnsigned: true, isBigEndian: true);
        return [(byte)(offset + 55 + lengthBytes.Length), .. lengthBytes];
    }
}
