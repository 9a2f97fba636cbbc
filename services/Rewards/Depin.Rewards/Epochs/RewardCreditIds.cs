using Depin.Chain;

namespace Depin.Rewards.Epochs;

/// <summary>
/// Ledger transaction ids of reward credits: RFC 4122 version-5 (name-based, SHA-1) UUIDs of
/// "reward-credit/{epoch}/{address}/{attempt}", so a rerun submits the same ids and the ledger pays each once.
/// The attempt only moves on after a credit failed (a failed receipt pays nothing), so a fresh id can never double-pay.
/// </summary>
public static class RewardCreditIds
{
    /// <summary>The namespace UUID of Depin reward credits.</summary>
    public static readonly Guid Namespace = new("6c1d6a52-4a0e-5b7e-9a5d-3f0f6d2a9c11");

    public static Guid For(long epoch, Address account, int attempt) =>
        NameBasedIds.V5(Namespace, $"reward-credit/{epoch}/{account.ToLowerHex()}/{attempt}");
}
