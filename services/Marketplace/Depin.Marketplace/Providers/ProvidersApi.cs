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

namespace Depin.Marketplace.Providers;

/// <summary>Provider registration and the provider's own view (workers, earnings).</summary>
public static class ProvidersApi
{
    public static RouteGroupBuilder MapProvidersApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/providers").WithTags("Providers");
        group.MapPost("/", RegisterAsync).AllowAnonymous().WithName("RegisterProvider").WithSummary("Registers a provider with its payout wallet; returns its API key once.");
        group.MapGet("/me", GetAsync).RequireAuthorization(ApiKeys.ProviderRole).WithName("GetProvider")
            .WithSummary("The caller's workers and earnings (ledger balance of the payout address).");
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

    public static async Task<Ok<ProviderView>> GetAsync(ClaimsPrincipal user, IGrainFactory grains, ILedgerClient ledger, CancellationToken cancellationToken)
    {
        var id = user.PrincipalId();
        var state = await grains.GetGrain<IProviderGrain>(id).Get();
        var workers = await Task.WhenAll(state.Workers.Select(async w => (await grains.GetGrain<IWorkerGrain>(w).Get()).ToView(w)));
        var account = await ledger.GetAccountAsync(state.PayoutAddress, cancellationToken);
        return TypedResults.Ok(new ProviderView(id, state.Name, state.PayoutAddress, workers, account.Balance, workers.Sum(w => w.CompletedJobs)));
    }
}
