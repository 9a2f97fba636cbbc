using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Depin.Chain;

/// <summary>A 20-byte Ethereum account address; <see cref="ToString"/> gives the EIP-55 checksummed form.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    private readonly ulong _l0;
    private readonly ulong _l1;
    private readonly uint _l2;

    public const int Size = 20;

    public static Address Zero => default;

    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"Expected {Size} bytes, got {bytes.Length}.", nameof(bytes));
        }

        this = MemoryMarshal.Read<Address>(bytes);
    }

    [UnscopedRef]
    public ReadOnlySpan<byte> Span => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(in this, 1));

    /// <summary>Parses 40 hex digits (0x optional). Mixed-case input must carry a valid EIP-55 checksum.</summary>
    public static Address Parse(string text)
    {
        if (!TryParse(text, out Address address, out string? error))
        {
            throw new FormatException(error);
        }

        return address;
    }

    public static bool TryParse(string? text, out Address address) => TryParse(text, out address, out _);

    private static bool TryParse(string? text, out Address address, [NotNullWhen(false)] out string? error)
    {
        address = default;
        if (text is null)
        {
            error = "Address is null.";
            return false;
        }

        ReadOnlySpan<char> digits = text.AsSpan();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        if (digits.Length != Size * 2 || !Hex.TryDecode(digits.ToString(), out byte[]? bytes))
        {
            error = $"'{text}' is not 20 bytes of hex.";
            return false;
        }

        address = new Address(bytes);
        bool hasLower = digits.ContainsAnyInRange('a', 'f');
        bool hasUpper = digits.ContainsAnyInRange('A', 'F');
        if (hasLower && hasUpper && !digits.SequenceEqual(address.ToString().AsSpan(2)))
        {
            address = default;
            error = $"'{text}' has an invalid EIP-55 checksum.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The last 20 bytes of a 32-byte word, as in an ABI-encoded address or a log topic.</summary>
    public static Address FromWord(in Hash32 word) => new(word.Span[12..]);

    public Hash32 ToWord()
    {
        Span<byte> word = stackalloc byte[32];
        word.Clear();
        Span.CopyTo(word[12..]);
        return new Hash32(word);
    }

    public byte[] ToArray() => Span.ToArray();

    public string ToLowerHex() => Hex.Encode(Span);

    /// <summary>EIP-55: hex digit i is upper-case when nibble i of keccak256(lower-case hex) is 8 or more.</summary>
    public override string ToString()
    {
        Span<byte> lower = stackalloc byte[Size * 2];
        string hex = Convert.ToHexStringLower(Span);
        for (int i = 0; i < hex.Length; i++)
        {
            lower[i] = (byte)hex[i];
        }

        Hash32 hash = Hash32.Keccak(lower);
        return string.Create(Size * 2 + 2, (hex, hash), static (chars, state) =>
        {
            chars[0] = '0';
            chars[1] = 'x';
            ReadOnlySpan<byte> hb = state.hash.Span;
            for (int i = 0; i < state.hex.Length; i++)
            {
                char c = state.hex[i];
                int nibble = (i % 2 == 0) ? hb[i / 2] >> 4 : hb[i / 2] & 0x0f;
                chars[i + 2] = c >= 'a' && nibble >= 8 ? char.ToUpperInvariant(c) : c;
            }
        });
    }

    public bool Equals(Address other) => _l0 == other._l0 && _l1 == other._l1 && _l2 == other._l2;

    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_l0, _l1, _l2);

    public int CompareTo(Address other) => Span.SequenceCompareTo(other.Span);

    public static bool operator ==(Address left, Address right) => left.Equals(right);

    public static bool operator !=(Address left, Address right) => !left.Equals(right);
}
