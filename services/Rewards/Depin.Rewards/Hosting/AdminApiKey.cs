using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;

namespace Depin.Rewards.Hosting;

/// <summary>
/// Admin authorization by API key: header <c>X-Api-Key</c>, or for a browser <c>?api-key=</c> once, which sets an
/// HttpOnly cookie scoped to /hangfire. Compared in constant time; with no key configured every request is refused.
/// </summary>
public static class AdminApiKey
{
    public const string HeaderName = "X-Api-Key";
    public const string QueryName = "api-key";
    public const string CookieName = "depin-rewards-admin";

    public static bool IsAuthorized(HttpContext context, string? configuredKey)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(configuredKey))
        {
            return false;
        }

        string? presented = context.Request.Headers[HeaderName].FirstOrDefault()
            ?? context.Request.Cookies[CookieName];
        if (presented is null && context.Request.Query[QueryName].FirstOrDefault() is { } fromQuery)
        {
            presented = fromQuery;
            if (Matches(fromQuery, configuredKey))
            {
                context.Response.Cookies.Append(CookieName, fromQuery, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Secure = context.Request.IsHttps,
                    Path = "/hangfire",
                });
            }
        }

        return presented is not null && Matches(presented, configuredKey);
    }

    private static bool Matches(string presented, string configured) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
}

/// <summary>Hangfire dashboard filter: admins only (<see cref="AdminApiKey"/>).</summary>
public sealed class AdminApiKeyDashboardFilter(Func<string?> configuredKey) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AdminApiKey.IsAuthorized(context.GetHttpContext(), configuredKey());
    }
}
