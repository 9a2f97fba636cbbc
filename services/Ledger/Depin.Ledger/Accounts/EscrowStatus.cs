namespace Depin.Ledger.Accounts;

/// <summary>Where a job's escrow stands. An escrow account is used once: it never returns to <see cref="None"/>.</summary>
public enum EscrowStatus : byte
{
    None = 0,
    Locked = 1,
    Released = 2,
    Refunded = 3,
}
