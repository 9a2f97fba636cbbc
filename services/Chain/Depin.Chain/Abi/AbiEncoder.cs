using System.Numerics;
using System.Text;

namespace Depin.Chain;

/// <summary>Builds a Solidity ABI argument tuple (head words, then the tails of dynamic values).</summary>
public sealed class AbiEncoder
{
    private readonly List<(bool Dynamic, byte[] Data)> _parts = [];

    public int Count => _parts.Count;

    public AbiEncoder Uint256(BigInteger value) => Static(Word(value));

    public AbiEncoder Uint256(UInt128 value) => Static(Word(value));

    public AbiEncoder Uint256(ulong value) => Static(Word((UInt128)value));

    public AbiEncoder Address(Address value) => Static(value.ToWord().ToArray());

    public AbiEncoder Bytes32(Hash32 value) => Static(value.ToArray());

    public AbiEncoder Bool(bool value) => Static(Word(value ? UInt128.One : UInt128.Zero));

    public AbiEncoder Bytes32Array(ReadOnlySpan<Hash32> values)
    {
        byte[] data = new byte[32 * (values.Length + 1)];
        WriteWord((UInt128)(ulong)values.Length, data);
        for (int i = 0; i < values.Length; i++)
        {
            values[i].CopyTo(data.AsSpan(32 * (i + 1)));
        }

        return Dynamic(data);
    }

    public AbiEncoder Bytes(ReadOnlySpan<byte> value)
    {
        int padded = (value.Length + 31) / 32 * 32;
        byte[] data = new byte[32 + padded];
        WriteWord((UInt128)(ulong)value.Length, data);
        value.CopyTo(data.AsSpan(32));
        return Dynamic(data);
    }

    public AbiEncoder String(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public byte[] Encode()
    {
        int headSize = 32 * _parts.Count;
        int total = headSize;
        foreach ((bool dynamic, byte[] data) in _parts)
        {
            if (dynamic)
            {
                total += data.Length;
            }
        }

        byte[] output = new byte[total];
        int tail = headSize;
        for (int i = 0; i < _parts.Count; i++)
        {
            (bool dynamic, byte[] data) = _parts[i];
            Span<byte> head = output.AsSpan(32 * i, 32);
            if (dynamic)
            {
                WriteWord((UInt128)(ulong)tail, head);
                data.CopyTo(output.AsSpan(tail));
                tail += data.Length;
            }
            else
            {
                data.CopyTo(head);
            }
        }

        return output;
    }

    /// <summary>A uint256 as one big-endian 32-byte word. Negative or over 256 bits throws.</summary>
    public static byte[] Word(BigInteger value)
    {
        if (value.Sign < 0 || value.GetBitLength() > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "uint256 must be in [0, 2^256).");
        }

        byte[] word = new byte[32];
        value.TryWriteBytes(word.AsSpan(32 - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return word;
    }

    public static byte[] Word(UInt128 value)
    {
        byte[] word = new byte[32];
        WriteWord(value, word);
        return word;
    }

    internal static void WriteWord(UInt128 value, Span<byte> destination)
    {
        destination[..16].Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(destination.Slice(16, 16), value);
    }

    private AbiEncoder Static(byte[] word)
    {
        _parts.Add((false, word));
        return this;
    }

    private AbiEncoder Dynamic(byte[] data)
    {
        _parts.Add((true, data));
        return this;
    }
}
