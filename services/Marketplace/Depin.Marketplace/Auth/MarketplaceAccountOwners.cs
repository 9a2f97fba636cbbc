using System.Security.Claims;
using Depin.Contracts.Ledger;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Providers;

namespace Depin.Marketplace.Auth;

/// <summary>Ledger account ownership of marketplace callers: a customer owns its derived account, a provider its payout account.</summary>
public sealed class MarketplaceAccountOwners(IGrainFactory grains) : ILedgerAccountOwners
{
    public async ValueTask<bool> OwnsAsync(ClaimsPrincipal user, string address, CancellationToken cancellationToken)
    {
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id)
        {
            return false;
        }

        if (user.IsInRole(ApiKeys.CustomerRole))
        {
            return string.Equals(LedgerIds.CustomerAddress(id), address, StringComparison.OrdinalIgnoreCase);
        }

        return user.IsInRole(ApiKeys.ProviderRole) &&
            string.Equals((await grains.GetGrain<IProviderGrain>(id).Get()).PayoutAddress, address, StringComparison.OrdinalIgnoreCase);
    }
}
