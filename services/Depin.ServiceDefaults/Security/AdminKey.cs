using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Depin.ServiceDefaults.Security;

/// <summary>
/// The platform's one admin key, for every admin surface (admin endpoints, the admin, Orleans and Hangfire dashboards).
/// Configured as <c>Admin:ApiKey</c> (or the older <c>Dashboard:AdminApiKey</c>, <c>Marketplace:AdminApiKey</c>,
/// <c>Rewards:AdminApiKey</c>). Without one, Development and <c>--demo</c> use <see cref="DevelopmentKey"/>; any other
/// environment gets a random key for the run, logged once. The well-known key is refused outside Development and demo.
/// </summary>
public sealed partial class AdminKey
{
    public const string HeaderName = "X-Api-Key";
    public const string QueryName = "api-key";
    public const string CookieName = "depin-admin";

    /// <summary>The well-known key of local development.</summary>
    public const string DevelopmentKey = "dev-admin-key";

    private static readonly string[] ConfigurationKeys = ["Admin:ApiKey", "Dashboard:AdminApiKey", "Marketplace:AdminApiKey", "Rewards:AdminApiKey"];

    private readonly byte[] _hash;

    private AdminKey(string value, bool generated)
    {
        Value = value;
        Generated = generated;
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>The key itself.</summary>
    public string Value { get; }

    /// <summary>True when no key was configured and this one was made for the run.</summary>
    public bool Generated { get; }

    /// <summary>True in Development or with <c>Demo</c> set (the all-in-one host's <c>--demo</c>): where local conveniences exist.</summary>
    public static bool IsLocalDevelopment(IConfiguration configuration, IHostEnvironment environment) =>
        environment.IsDevelopment() || configuration.GetValue<bool>("Demo");

    /// <summary>Resolves the key from configuration; throws when the well-known key is configured outside Development.</summary>
    public static AdminKey Resolve(IConfiguration configuration, IHostEnvironment environment, ILogger logger)
    {
        var local = IsLocalDevelopment(configuration, environment);
        foreach (var name in ConfigurationKeys)
        {
            if (configuration[name] is { Length: > 0 } configured)
            {
                if (!local && configured == DevelopmentKey)
                {
                    throw new InvalidOperationException(
                        $"{name} is the well-known development key \"{DevelopmentKey}\", which is refused outside Development and --demo. Set Admin:ApiKey to a secret of your own.");
                }

                return new AdminKey(configured, generated: false);
            }
        }

        if (local)
        {
            return new AdminKey(DevelopmentKey, generated: false);
        }

        var key = new AdminKey("adm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), generated: true);
        LogGenerated(logger, key.Value);
        return key;
    }

    /// <summary>Whether <paramref name="presented"/> is this key (constant time).</summary>
    public bool Matches(string? presented) =>
        presented is { Length: > 0 and <= 256 } &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _hash);

    /// <summary>
    /// Whether the request carries the admin key: header <c>X-Api-Key</c>, the admin cookie, or for a browser
    /// <c>?api-key=</c> once, which then sets an HttpOnly, SameSite=Strict cookie for the whole site.
    /// </summary>
    public bool IsAuthorized(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Matches(context.Request.Headers[HeaderName].FirstOrDefault()) || Matches(context.Request.Cookies[CookieName]))
        {
            return true;
        }

        if (context.Request.Query[QueryName].FirstOrDefault() is { } fromQuery && Matches(fromQuery))
        {
            context.Response.Cookies.Append(CookieName, fromQuery, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
            });
            return true;
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No admin key configured: this run's admin key is {Key} (it changes at every start; set Admin:ApiKey to fix one)")]
    private static partial void LogGenerated(ILogger logger, string key);
}
