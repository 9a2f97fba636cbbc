using Depin.Marketplace.Providers;
using Depin.Rewards.Wallets;

namespace Depin.AllInOne;

/// <summary>Provider registration in the all-in-one host requires the rewards service's EIP-191 wallet proof.</summary>
internal sealed class RewardsWalletProof(IWalletVerifier verifier) : IPayoutWalletProof
{
    public ValueTask<string?> CheckAsync(string address, string signature, CancellationToken cancellationToken = default)
    {
        var result = verifier.VerifySignature(address, signature);
        return ValueTask.FromResult(result.Succeeded ? null : $"{result.Failure}: {result.Detail}");
    }
}
