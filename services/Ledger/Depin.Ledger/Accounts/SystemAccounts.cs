namespace Depin.Ledger.Accounts;

/// <summary>The ledger's reserved accounts.</summary>
public static class SystemAccounts
{
    /// <summary>Receives platform fees and slashed stake.</summary>
    public static readonly AccountId Treasury = AccountId.System(1);

    /// <summary>Funds reward credits; topped up by gateway deposits.</summary>
    public static readonly AccountId RewardPool = AccountId.System(2);

    /// <summary>Holds withdrawn credits until their batch is released on chain (the Vault's root published).</summary>
    public static readonly AccountId Bridge = AccountId.System(3);
}
