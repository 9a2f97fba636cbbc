using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Depin.ServiceDefaults.Security;

/// <summary>Registers the <see cref="AdminKey"/> and puts whole path prefixes (third-party dashboards) behind it.</summary>
public static class AdminSurfaces
{
    /// <summary>Registers the platform's <see cref="AdminKey"/> once; every service that has admin surfaces calls it.</summary>
    public static IServiceCollection AddAdminKey(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => AdminKey.Resolve(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Depin.Admin")));
        return services;
    }

    /// <summary>Requests under <paramref name="prefix"/> without the admin key get a 401 problem; with it they pass (and a browser gets the cookie).</summary>
    public static WebApplication RequireAdminKeyFor(this WebApplication app, PathString prefix)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(prefix) && !context.RequestServices.GetRequiredService<AdminKey>().IsAuthorized(context))
            {
                await Results.Problem(
                    $"{prefix} is an admin surface: send the admin key in X-Api-Key, or open {prefix}/?api-key=<admin key> once in a browser.",
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Unauthorized").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }
}
