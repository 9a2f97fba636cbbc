using Depin.ServiceDefaults.Security;
using Hangfire.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace Depin.Rewards.Hosting;

/// <summary>Hangfire dashboard filter: admins only (the platform's <see cref="AdminKey"/>: header, cookie or <c>?api-key=</c> once).</summary>
public sealed class AdminKeyDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        return http.RequestServices.GetRequiredService<AdminKey>().IsAuthorized(http);
    }
}
