using Depin.Chain;
using Depin.Contracts.Rewards;
using Depin.Rewards.Wallets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Depin.Rewards.Api;

/// <summary>Wallet-proven registration: issue a challenge, verify its personal_sign signature.</summary>
public static class WalletsApi
{
    public static RouteGroupBuilder MapWalletsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/wallets").WithTags("Wallets");
        group.MapPost("/challenges", IssueChallenge)
            .WithName("IssueWalletChallenge")
            .WithSummary("Issues a one-time message for the wallet to sign with personal_sign (EIP-191).");
        group.MapPost("/verify", Verify)
            .WithName("VerifyWallet")
            .WithSummary("Verifies a signed challenge (message optional: without it, any outstanding challenge of the address); 400 with a reason (replayed, expired, address-mismatch, wrong-platform, ...) when refused.");
        return group;
    }

    internal static Results<Ok<WalletChallengeDto>, ValidationProblem, ProblemHttpResult> IssueChallenge(WalletChallengeRequest request, IWalletChallenges challenges)
    {
        if (!Address.TryParse(request.Address, out Address address))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["address"] = ["Expected an Ethereum address: 0x followed by 40 hex digits (a valid EIP-55 checksum if mixed case)."],
            });
        }

        WalletChallenge c;
        try
        {
            c = challenges.Issue(address);
        }
        catch (WalletChallengeLimitException e)
        {
            return TypedResults.Problem(title: "Too many challenges", detail: e.Message, statusCode: StatusCodes.Status429TooManyRequests);
        }

        return TypedResults.Ok(new WalletChallengeDto(c.Address.ToString(), c.Message, c.Nonce, c.IssuedAt, c.ExpiresAt));
    }

    internal static Results<Ok<WalletVerifiedDto>, ProblemHttpResult> Verify(WalletVerifyRequest request, IWalletVerifier verifier, TimeProvider time)
    {
        WalletVerification result = request.Message is null
            ? verifier.VerifySignature(request.Address, request.Signature)
            : verifier.Verify(request.Address, request.Message, request.Signature);
        if (result.Succeeded)
        {
            return TypedResults.Ok(new WalletVerifiedDto(result.Address!.Value.ToString(), result.Nonce!, time.GetUtcNow()));
        }

        return TypedResults.Problem(
            title: "Wallet verification failed",
            detail: result.Detail,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["reason"] = ReasonCode(result.Failure) });
    }

    /// <summary>The kebab-case reason code in problem details, e.g. "replayed", "address-mismatch".</summary>
    public static string ReasonCode(WalletVerificationFailure failure) => failure switch
    {
        WalletVerificationFailure.None => "none",
        WalletVerificationFailure.InvalidAddress => "invalid-address",
        WalletVerificationFailure.MalformedSignature => "malformed-signature",
        WalletVerificationFailure.MalformedMessage => "malformed-message",
        WalletVerificationFailure.WrongPlatform => "wrong-platform",
        WalletVerificationFailure.UnknownNonce => "unknown-nonce",
        WalletVerificationFailure.TamperedMessage => "tampered-message",
        WalletVerificationFailure.AddressMismatch => "address-mismatch",
        WalletVerificationFailure.Expired => "expired",
        WalletVerificationFailure.Replayed => "replayed",
        _ => failure.ToString(),
    };
}
