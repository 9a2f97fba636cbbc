using System.Security.Claims;

namespace Depin.Contracts.Ledger;

/// <summary>
/// Tells the ledger's read endpoints whether an authenticated caller owns a ledger account (a customer's account, a
/// provider's payout account). Registered by the service that issues the callers' keys (the marketplace); without one,
/// accounts are served to service credentials and admins only.
/// </summary>
public interface ILedgerAccountOwners
{
    ValueTask<bool> OwnsAsync(ClaimsPrincipal user, string address, CancellationToken cancellationToken);
}
