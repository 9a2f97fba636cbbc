using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nethereum.Util;

namespace Depin.Chain;

/// <summary>A 32-byte value (hash, bytes32, storage word), compared byte-wise as a big-endian number.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Hash32 : IEquatable<Hash32>, IComparable<Hash32>, ISpanFormattable
{
    private readonly ulong _l0;
    private readonly ulong _l1;
    private readonly ulong _l2;
    private readonly ulong _l3;

    public const int Size = 32;

    public static Hash32 Zero => default;

    public Hash32(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"Expected {Size} bytes, got {bytes.Length}.", nameof(bytes));
        }

        this = MemoryMarshal.Read<Hash32>(bytes);
    }

    /// <summary>The 32 bytes in order.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Span => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(in _l0, 4));

    public bool IsZero => (_l0 | _l1 | _l2 | _l3) == 0;

    public static Hash32 Parse(string hex) => new(Hex.Decode(hex, Size));

    public static bool TryParse(string? hex, out Hash32 value)
    {
        value = default;
        if (hex is null || !Hex.TryDecode(hex, out byte[]? bytes) || bytes.Length != Size)
        {
            return false;
        }

        value = new Hash32(bytes);
        return true;
    }

    /// <summary>Keccak-256 of <paramref name="data"/>, by Nethereum's <see cref="Sha3Keccack"/>.</summary>
    public static Hash32 Keccak(ReadOnlySpan<byte> data) => new(Sha3Keccack.Current.CalculateHash(data.ToArray()));

    /// <summary>Keccak-256 of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static Hash32 Keccak(string text) => new(Sha3Keccack.Current.CalculateHashAsBytes(text));

    /// <summary>The 32-byte big-endian word of <paramref name="value"/>, as ABI encodes a uint and a log topic carries it.</summary>
    public static Hash32 FromNumber(UInt128 value)
    {
        Span<byte> word = stackalloc byte[Size];
        word.Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(word[16..], value);
        return new Hash32(word);
    }

    public byte[] ToArray() => Span.ToArray();

    public void CopyTo(Span<byte> destination) => Span.CopyTo(destination);

    public bool Equals(Hash32 other) => _l0 == other._l0 && _l1 == other._l1 && _l2 == other._l2 && _l3 == other._l3;

    public override bool Equals(object? obj) => obj is Hash32 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_l0, _l1, _l2, _l3);

    public int CompareTo(Hash32 other) => Span.SequenceCompareTo(other.Span);

    public static bool operator ==(Hash32 left, Hash32 right) => left.Equals(right);

    public static bool operator !=(Hash32 left, Hash32 right) => !left.Equals(right);

    /// <summary>0x-prefixed lower-case hex.</summary>
    public override string ToString() => Hex.Encode(Span);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        string text = ToString();
        charsWritten = 0;
        if (!text.AsSpan().TryCopyTo(destination))
        {
            return false;
        }

        charsWritten = text.Length;
        return true;
    }

    internal static ReadOnlySpan<ulong> Lanes(in Hash32 value) => MemoryMarshal.CreateReadOnlySpan(in value._l0, 4);

    internal static Hash32 FromLanes(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        Span<ulong> lanes = [l0, l1, l2, l3];
        return MemoryMarshal.Read<Hash32>(MemoryMarshal.AsBytes(lanes));
    }
}
