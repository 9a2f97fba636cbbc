namespace Depin.Marketplace.Providers;

/// <summary>
/// Proof that a registering provider controls its payout wallet (an EIP-191 signature over a server-issued challenge).
/// When one is registered, provider registration requires it: <see cref="RewardsWalletProof"/> asks the rewards service
/// over REST (<see cref="MarketplaceOptions.RewardsUrl"/>); the all-in-one host plugs in its wallet challenges directly.
/// </summary>
public interface IPayoutWalletProof
{
    /// <summary>Null when <paramref name="signature"/> (never empty: the registrar refuses that first) proves <paramref name="address"/>; otherwise why not (e.g. "expired: ...").</summary>
    ValueTask<string?> CheckAsync(string address, string signature, CancellationToken cancellationToken = default);
}
