using System.Security.Claims;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Marketplace.Auth;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Providers;

/// <summary>Provider registration and the provider's own view (workers, earnings).</summary>
public static class ProvidersApi
{
    public static RouteGroupBuilder MapProvidersApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/providers").WithTags("Providers");
        group.MapPost("/", RegisterAsync).AllowAnonymous().WithName("RegisterProvider").WithSummary("Registers a provider with its payout wallet; returns its API key once.");
        group.MapGet("/me", GetAsync).RequireAuthorization(ApiKeys.ProviderRole).WithName("GetProvider")
            .WithSummary("The caller's workers and earnings (ledger balance of the payout address), its stake and the stake its workers need.");
        group.MapPost("/me/stake", (StakeRequest request, ClaimsPrincipal user, IGrainFactory grains, ILedgerClient ledger, IOptions<MarketplaceOptions> options, TimeProvider time, CancellationToken ct) =>
            StakeAsync("stake", request, user, grains, ledger, options, time, ct))
            .RequireAuthorization(ApiKeys.ProviderRole).WithName("Stake").WithSummary("Bonds micro-credits of your balance as stake: your workers receive leases while it covers MinStakePerWorker each.");
        group.MapPost("/me/unstake", (StakeRequest request, ClaimsPrincipal user, IGrainFactory grains, ILedgerClient ledger, IOptions<MarketplaceOptions> options, TimeProvider time, CancellationToken ct) =>
            StakeAsync("unstake", request, user, grains, ledger, options, time, ct))
            .RequireAuthorization(ApiKeys.ProviderRole).WithName("Unstake").WithSummary("Starts unbonding stake; it stays slashable until it is released after the unbonding delay.");
        group.MapPost("/me/unstake/complete", CompleteUnstakeAsync)
            .RequireAuthorization(ApiKeys.ProviderRole).WithName("CompleteUnstake").WithSummary("Returns unbonding stake to your balance once the unbonding delay (block time) has passed.");
        return group;
    }

    public static async Task<Results<Created<ProviderRegistration>, ValidationProblem>> RegisterAsync(RegisterProviderRequest request, ProviderRegistrar registrar, CancellationToken cancellationToken)
    {
        var errors = ProviderRegistrar.Validate(request);
        if (errors.Count == 0)
        {
            errors = await registrar.CheckWalletAsync(request, cancellationToken);
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var registration = await registrar.RegisterAsync(request);
        return TypedResults.Created("/api/providers/me", registration);
    }

    public static async Task<Ok<ProviderView>> GetAsync(
        ClaimsPrincipal user, IGrainFactory grains, ILedgerClient ledger, IOptions<MarketplaceOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var id = user.PrincipalId();
        var state = await grains.GetGrain<IProviderGrain>(id).Get();
        var now = time.GetUtcNow();
        var workers = await Task.WhenAll(state.Workers.Select(async w => (await grains.GetGrain<IWorkerGrain>(w).Get()).ToView(w, now, options.Value)));
        var account = await ledger.GetAccountAsync(state.PayoutAddress, cancellationToken);
        return TypedResults.Ok(new ProviderView(
            id, state.Name, state.PayoutAddress, workers, account.Balance, workers.Sum(w => w.CompletedJobs),
            account.Staked, account.Unbonding, RequiredStake(state, options.Value)));
    }

    /// <summary>The bonded stake the provider's workers need to receive leases: <see cref="MarketplaceOptions.MinStakePerWorker"/> per registered worker.</summary>
    public static long RequiredStake(ProviderState provider, MarketplaceOptions options) => options.MinStakePerWorker * Math.Max(1, provider.Workers.Count);

    /// <summary>Returns the caller's matured unbonding stake to its balance; a 422 problem names why not (unbonding-not-matured, nothing-unbonding).</summary>
    public static async Task<Results<Ok<ProviderView>, ValidationProblem, ProblemHttpResult>> CompleteUnstakeAsync(
        ClaimsPrincipal user, IGrainFactory grains, ILedgerClient ledger, IOptions<MarketplaceOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var state = await grains.GetGrain<IProviderGrain>(user.PrincipalId()).Get();
        var receipt = (await ledger.SubmitAsync([new LedgerTransactionDto(Guid.NewGuid().ToString("D"), "complete-unstake", From: state.PayoutAddress)], cancellationToken))[0];
        return receipt.Succeeded
            ? await GetAsync(user, grains, ledger, options, time, cancellationToken)
            : TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unbonding not released", detail: receipt.Status);
    }

    /// <summary>Bonds (stake) or starts unbonding (unstake) part of the caller's balance through the ledger's programs.</summary>
    public static async Task<Results<Ok<ProviderView>, ValidationProblem, ProblemHttpResult>> StakeAsync(
        string program, StakeRequest request, ClaimsPrincipal user, IGrainFactory grains, ILedgerClient ledger, IOptions<MarketplaceOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.Amount <= 0)
        {
            return Problems.Invalid("amount", "must be a positive number of micro-credits");
        }

        var state = await grains.GetGrain<IProviderGrain>(user.PrincipalId()).Get();
        var receipt = (await ledger.SubmitAsync([new LedgerTransactionDto(Guid.NewGuid().ToString("D"), program, From: state.PayoutAddress, Amount: request.Amount)], cancellationToken))[0];
        if (!receipt.Succeeded)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: program == "stake" ? "Stake refused" : "Unstake refused", detail: receipt.Status);
        }

        return await GetAsync(user, grains, ledger, options, time, cancellationToken);
    }
}
