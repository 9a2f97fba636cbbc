using Depin.Contracts.Marketplace;
using Depin.Marketplace.Auth;
using Depin.Marketplace.Infrastructure;

namespace Depin.Marketplace.Providers;

/// <summary>
/// The one place providers are registered: checks the request, the EIP-191 proof that the caller owns
/// <see cref="RegisterProviderRequest.PayoutAddress"/> (<see cref="RegisterProviderRequest.Signature"/>, when an
/// <see cref="IPayoutWalletProof"/> is registered), creates the provider grain and its API key.
/// </summary>
public sealed class ProviderRegistrar(IGrainFactory grains, IPayoutWalletProof? walletProof = null)
{
    /// <summary>Field errors of the wallet proof; empty when it holds or none is required.</summary>
    public async Task<Dictionary<string, string[]>> CheckWalletAsync(RegisterProviderRequest request, CancellationToken cancellationToken = default)
    {
        var failure = await ProveWalletAsync(request.PayoutAddress, request.Signature, cancellationToken);
        return failure is null ? [] : new Dictionary<string, string[]> { ["signature"] = [failure] };
    }

    /// <summary>Null when <paramref name="signature"/> proves <paramref name="address"/> (or no proof is configured); otherwise why not. Also used for customers' withdrawal wallets.</summary>
    public async Task<string?> ProveWalletAsync(string address, string? signature, CancellationToken cancellationToken = default) =>
        walletProof is null ? null
            : string.IsNullOrWhiteSpace(signature) ? "required: sign the challenge from POST /api/wallets/challenges with the wallet (personal_sign, EIP-191)"
            : await walletProof.CheckAsync(address, signature, cancellationToken);

    /// <summary>Field errors of a registration request; empty when valid.</summary>
    public static Dictionary<string, string[]> Validate(RegisterProviderRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            errors["name"] = ["must be 1..100 characters"];
        }

        if (!LedgerIds.IsAddress(request.PayoutAddress))
        {
            errors["payoutAddress"] = ["must be 0x followed by 40 hex digits"];
        }

        return errors;
    }

    public async Task<ProviderRegistration> RegisterAsync(RegisterProviderRequest request)
    {
        var providerId = "prv_" + Guid.NewGuid().ToString("N");
        var payout = request.PayoutAddress.ToLowerInvariant();
        await grains.GetGrain<IProviderGrain>(providerId).Register(request.Name.Trim(), payout);
        ServiceDefaults.Testing.FaultPoints.Reached(ServiceDefaults.Testing.FaultPoints.Registration);
        var key = ApiKeys.NewKey("dpp");
        await grains.GetGrain<IApiKeyGrain>(ApiKeys.Hash(key)).Assign(new ApiKeyOwner(ApiKeys.ProviderRole, providerId));
        return new ProviderRegistration(providerId, key, payout);
    }
}
