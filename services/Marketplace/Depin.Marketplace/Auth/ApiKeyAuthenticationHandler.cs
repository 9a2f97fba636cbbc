using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Depin.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Auth;

/// <summary>Authenticates the X-Api-Key header: the platform admin key, or a customer/provider key looked up by its hash.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    ApiKeyCache cache,
    AdminKey admin)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeys.Header, out var values) || values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
        {
            return AuthenticateResult.NoResult();
        }

        var key = values[0]!;
        if (key.Length > 256)
        {
            return AuthenticateResult.Fail("Invalid API key.");
        }

        if (admin.Matches(key))
        {
            return Success(new ApiKeyOwner(ApiKeys.AdminRole, "admin"));
        }

        var hash = ApiKeys.Hash(key);
        if (cache.TryGet(hash, out var known))
        {
            return Success(known);
        }

        var owner = await grains.GetGrain<IApiKeyGrain>(hash).Get();
        if (owner is null)
        {
            return AuthenticateResult.Fail("Invalid API key.");
        }

        cache.Add(hash, owner);
        return Success(owner);
    }

    private AuthenticateResult Success(ApiKeyOwner owner)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, owner.PrincipalId), new Claim(ClaimTypes.Role, owner.Role)],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
