using System.Security.Claims;
using Depin.Contracts.Marketplace;
using Depin.Contracts.Rewards;
using Depin.Marketplace.Auth;
using Depin.Marketplace.Customers;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Providers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Depin.Marketplace.Withdrawals;

/// <summary>
/// /api/withdrawals: customers and providers take credits out to their wallet on chain (a provider's payout wallet, a
/// customer's bound wallet). The bridge records it and the ledger moves the credits to its bridge account at once; the
/// claim on the Vault becomes available with the next batch. Each caller sees only its own withdrawals.
/// </summary>
public static class WithdrawalsApi
{
    public static RouteGroupBuilder MapWithdrawalsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/withdrawals").WithTags("Withdrawals").RequireAuthorization(WithdrawalPolicy);
        group.MapPost("/", WithdrawAsync).WithName("Withdraw").WithSummary("Withdraws micro-credits to your wallet on chain; claim them from the Vault once the batch is published.");
        group.MapGet("/{id}", GetAsync).WithName("GetWithdrawal").WithSummary("One of your withdrawals: its status and, once claimable, the proof for the Vault.");
        return group;
    }

    /// <summary>The authorization policy of the withdrawal endpoints: customers and providers.</summary>
    public const string WithdrawalPolicy = "withdrawer";

    public static async Task<Results<Created<WithdrawalDto>, ValidationProblem, ProblemHttpResult>> WithdrawAsync(
        WithdrawRequest request, ClaimsPrincipal user, IGrainFactory grains, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (request.Amount <= 0)
        {
            return Problems.Invalid("amount", "must be a positive number of micro-credits");
        }

        if (request.IdempotencyKey is { Length: > 200 })
        {
            return Problems.Invalid("idempotencyKey", "must be at most 200 characters");
        }

        if (services.GetService(typeof(IWithdrawalRequests)) is not IWithdrawalRequests bridge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No bridge", detail: "This platform runs without the rewards service's bridge: there is no way out to a chain.");
        }

        var (account, wallet) = await AccountAndWalletAsync(user, grains);
        if (wallet is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No wallet bound",
                detail: "Bind the wallet to pay first: POST /api/customers/me/wallet with an EIP-191 signature of a challenge from POST /api/wallets/challenges.");
        }

        var id = request.IdempotencyKey is { } key ? LedgerIds.Withdrawal(user.PrincipalId(), key) : Guid.NewGuid().ToString("D");
        WithdrawalDto withdrawal;
        try
        {
            withdrawal = await bridge.RequestAsync(new WithdrawalRequestDto(id, account, wallet, request.Amount), cancellationToken);
        }
        catch (ArgumentException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency key in use",
                detail: "This idempotencyKey was used for a withdrawal with another amount or wallet; use a new key.");
        }

        if (withdrawal.Status == "refused")
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Withdrawal refused", detail: withdrawal.Detail);
        }

        return TypedResults.Created($"/api/withdrawals/{withdrawal.Id}", withdrawal);
    }

    public static async Task<Results<Ok<WithdrawalDto>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IGrainFactory grains, IServiceProvider services, CancellationToken cancellationToken)
    {
        var (account, _) = await AccountAndWalletAsync(user, grains);
        return services.GetService(typeof(IWithdrawalRequests)) is IWithdrawalRequests bridge &&
            await bridge.GetAsync(id, cancellationToken) is { } withdrawal &&
            string.Equals(withdrawal.LedgerAccount, account, StringComparison.OrdinalIgnoreCase)
            ? TypedResults.Ok(withdrawal)
            : Problems.NotFound("Withdrawal");
    }

    /// <summary>The caller's ledger account and the wallet its withdrawals go to (null: a customer without a bound wallet).</summary>
    private static async Task<(string Account, string? Wallet)> AccountAndWalletAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        if (user.IsInRole(ApiKeys.ProviderRole))
        {
            var provider = await grains.GetGrain<IProviderGrain>(user.PrincipalId()).Get();
            return (provider.PayoutAddress, provider.PayoutAddress);
        }

        var customer = await grains.GetGrain<ICustomerGrain>(user.PrincipalId()).Get();
        return (customer.LedgerAddress, customer.Wallet);
    }
}
