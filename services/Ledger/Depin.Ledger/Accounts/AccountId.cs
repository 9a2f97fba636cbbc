using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Depin.Ledger.Accounts;

/// <summary>A 20-byte account address: wallets use their Ethereum address; system and escrow accounts use reserved prefixes.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly struct AccountId : IEquatable<AccountId>
{
    public const int Size = 20;

    private static readonly uint EscrowPrefix = 0xE5C0FFEE;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly uint _c;

    private AccountId(ulong a, ulong b, uint c)
    {
        _a = a;
        _b = b;
        _c = c;
    }

    public AccountId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"An account id is {Size} bytes.", nameof(bytes));
        }

        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
    }

    /// <summary>The all-zero id; never a valid account.</summary>
    public static AccountId Zero => default;

    /// <summary>A system account with a small ordinal (treasury = 1, reward pool = 2).</summary>
    public static AccountId System(uint ordinal) => new(0, 0, ordinal);

    /// <summary>The escrow account of a job: a reserved prefix followed by the job's 16-byte id.</summary>
    public static AccountId Escrow(Transactions.TxId job)
    {
        Span<byte> bytes = stackalloc byte[Size];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, EscrowPrefix);
        job.WriteTo(bytes[4..]);
        return new AccountId(bytes);
    }

    /// <summary>For tests and benchmarks: an id built from a 64-bit number under a non-reserved prefix.</summary>
    public static AccountId FromNumber(ulong number) => new(0x0100_0000_0000_0000UL, number >> 32, (uint)number);

    public bool IsZero => _a == 0 && _b == 0 && _c == 0;

    /// <summary>Treasury, reward pool and other reserved ordinals: the first 16 bytes are zero.</summary>
    public bool IsSystem => _a == 0 && _b == 0 && _c != 0;

    public bool IsEscrow => (uint)(_a >> 32) == EscrowPrefix;

    /// <summary>An ordinary wallet or customer account: neither zero, system nor escrow.</summary>
    public bool IsRegular => !IsZero && !IsSystem && !IsEscrow;

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _c);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Parses "0x" followed by 40 hex digits (the 0x is optional; case is ignored).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out AccountId id)
    {
        Span<byte> bytes = stackalloc byte[Size];
        var parsed = FixedHex.TryParse(text, bytes);
        id = parsed ? new AccountId(bytes) : default;
        return parsed;
    }

    public static AccountId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a 20-byte hex account id.");

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return "0x" + Convert.ToHexStringLower(bytes);
    }

    public bool Equals(AccountId other) => _a == other._a && _b == other._b && _c == other._c;

    public override bool Equals(object? obj) => obj is AccountId other && Equals(other);

    public override int GetHashCode()
    {
        var h = _a * 0x9E3779B97F4A7C15UL ^ _b * 0xC2B2AE3D27D4EB4FUL ^ _c * 0x165667B19E3779F9UL;
        return (int)(h ^ (h >> 32));
    }

    public static bool operator ==(AccountId left, AccountId right) => left.Equals(right);

    public static bool operator !=(AccountId left, AccountId right) => !left.Equals(right);
}
