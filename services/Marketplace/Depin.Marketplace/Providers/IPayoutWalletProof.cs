namespace Depin.Marketplace.Providers;

/// <summary>
/// Proof that a registering provider controls its payout wallet (an EIP-191 signature over a server-issued challenge).
/// When one is registered, provider registration requires it; the all-in-one host plugs in the rewards service's
/// wallet challenges.
/// </summary>
public interface IPayoutWalletProof
{
    /// <summary>Null when <paramref name="signature"/> proves <paramref name="address"/>; otherwise why not (e.g. "expired: ...").</summary>
    string? Check(string address, string? signature);
}
