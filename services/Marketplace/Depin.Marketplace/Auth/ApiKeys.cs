using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace Depin.Marketplace.Auth;

/// <summary>Role names and API key helpers.</summary>
public static class ApiKeys
{
    public const string Header = "X-Api-Key";
    public const string Scheme = "ApiKey";
    public const string CustomerRole = "customer";
    public const string ProviderRole = "provider";
    public const string AdminRole = "admin";

    /// <summary>A new random key: prefix + 32 random bytes, base64url.</summary>
    public static string NewKey(string prefix) =>
        prefix + "_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The grain key of an API key: lower-case hex SHA-256.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The principal id (customer or provider id) of an authenticated caller.</summary>
    public static string PrincipalId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Unauthenticated caller.");
}
