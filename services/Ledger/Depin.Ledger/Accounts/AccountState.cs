using System.Buffers.Binary;

namespace Depin.Ledger.Accounts;

/// <summary>One account's state. All amounts are micro-credits and never negative.</summary>
public struct AccountState : IEquatable<AccountState>
{
    public const int EncodedSize = 8 * 4 + AccountId.Size + 1;

    /// <summary>Spendable balance.</summary>
    public long Balance;

    /// <summary>Collateral bonded by a provider; slashable.</summary>
    public long Staked;

    /// <summary>Stake on its way out; still slashable until released.</summary>
    public long Unbonding;

    /// <summary>Block timestamp (Unix ms) from which <see cref="Unbonding"/> can be completed.</summary>
    public long UnbondingReleaseMs;

    /// <summary>For escrow accounts: the customer who funded it.</summary>
    public AccountId EscrowOwner;

    /// <summary>For escrow accounts: lifecycle.</summary>
    public EscrowStatus Escrow;

    public readonly bool IsEmpty =>
        Balance == 0 && Staked == 0 && Unbonding == 0 && UnbondingReleaseMs == 0 && EscrowOwner.IsZero && Escrow == EscrowStatus.None;

    public readonly void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, Balance);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], Staked);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], Unbonding);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], UnbondingReleaseMs);
        EscrowOwner.WriteTo(destination[32..]);
        destination[52] = (byte)Escrow;
    }

    public static AccountState ReadFrom(ReadOnlySpan<byte> source) => new()
    {
        Balance = BinaryPrimitives.ReadInt64LittleEndian(source),
        Staked = BinaryPrimitives.ReadInt64LittleEndian(source[8..]),
        Unbonding = BinaryPrimitives.ReadInt64LittleEndian(source[16..]),
        UnbondingReleaseMs = BinaryPrimitives.ReadInt64LittleEndian(source[24..]),
        EscrowOwner = new AccountId(source.Slice(32, AccountId.Size)),
        Escrow = (EscrowStatus)source[52],
    };

    public readonly bool Equals(AccountState other) =>
        Balance == other.Balance && Staked == other.Staked && Unbonding == other.Unbonding &&
        UnbondingReleaseMs == other.UnbondingReleaseMs && EscrowOwner == other.EscrowOwner && Escrow == other.Escrow;

    public override readonly bool Equals(object? obj) => obj is AccountState other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Balance, Staked, Unbonding, UnbondingReleaseMs, EscrowOwner, Escrow);

    public static bool operator ==(AccountState left, AccountState right) => left.Equals(right);

    public static bool operator !=(AccountState left, AccountState right) => !left.Equals(right);
}
