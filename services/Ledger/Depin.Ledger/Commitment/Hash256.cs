using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Depin.Ledger.Commitment;

/// <summary>A 32-byte SHA-256 digest as a value type.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Hash256 : IEquatable<Hash256>
{
    public const int Size = 32;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    public static Hash256 Zero => default;

    public bool IsZero => _a == 0 && _b == 0 && _c == 0 && _d == 0;

    /// <summary>Without libcrypto, inputs up to this size use the managed <see cref="Sha256"/>; larger ones the platform's.</summary>
    private const int ManagedLimit = 256;

    public static Hash256 Compute(ReadOnlySpan<byte> data)
    {
        Hash256 result = default;
        var output = MemoryMarshal.AsBytes(new Span<Hash256>(ref result));
        if (LibcryptoSha256.Available)
        {
            LibcryptoSha256.Hash(data, output);
        }
        else if (data.Length <= ManagedLimit)
        {
            Sha256.Hash(data, output);
        }
        else
        {
            SHA256.HashData(data, output);
        }

        return result;
    }

    /// <summary>An inner Merkle node: SHA-256(0x01 ‖ left ‖ right). Leaves use a 0x00 prefix, so no leaf can pose as a node.</summary>
    public static Hash256 Node(in Hash256 left, in Hash256 right)
    {
        Span<byte> buffer = stackalloc byte[1 + Size * 2];
        buffer[0] = 1;
        left.WriteTo(buffer[1..]);
        right.WriteTo(buffer[(1 + Size)..]);
        return Compute(buffer);
    }

    public static Hash256 ReadFrom(ReadOnlySpan<byte> source) => MemoryMarshal.Read<Hash256>(source);

    public void WriteTo(Span<byte> destination) => MemoryMarshal.Write(destination, in this);

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    public static bool TryParse(string? text, out Hash256 hash)
    {
        Span<byte> bytes = stackalloc byte[Size];
        var parsed = Accounts.FixedHex.TryParse(text, bytes);
        hash = parsed ? ReadFrom(bytes) : default;
        return parsed;
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return "0x" + Convert.ToHexStringLower(bytes);
    }

    public bool Equals(Hash256 other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is Hash256 other && Equals(other);

    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);

    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);

    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);
}
