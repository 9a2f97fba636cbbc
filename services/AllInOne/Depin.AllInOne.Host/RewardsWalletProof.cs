using Depin.Marketplace.Providers;
using Depin.Rewards.Wallets;

namespace Depin.AllInOne;

/// <summary>Provider registration in the all-in-one host requires the rewards service's EIP-191 wallet proof.</summary>
internal sealed class RewardsWalletProof(IWalletVerifier verifier) : IPayoutWalletProof
{
    public ValueTask<string?> CheckAsync(string address, string? signature, CancellationToken cancellationToken = default) => ValueTask.FromResult(Check(address, signature));

    private string? Check(string address, string? signature)
    {
        if (string.IsNullOrWhiteSpace(signature))
        {
            return "required: sign the challenge from POST /api/wallets/challenges with the payout wallet (personal_sign, EIP-191)";
        }

        var result = verifier.VerifySignature(address, signature);
        return result.Succeeded ? null : $"{result.Failure}: {result.Detail}";
    }
}
