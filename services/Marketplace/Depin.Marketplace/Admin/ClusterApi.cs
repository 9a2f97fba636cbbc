using Depin.Marketplace.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Depin.Marketplace.Admin;

/// <summary>An active silo of the marketplace cluster, as the membership table lists it.</summary>
public sealed record SiloView(string Address, string Status);

/// <summary>The marketplace's Orleans cluster, for admins: GET /api/admin/cluster lists the active silos.</summary>
public static class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(ApiKeys.AdminRole)
            .MapGet("/cluster", GetAsync).WithName("GetCluster").WithSummary("The marketplace's active Orleans silos (its replicas).");
        return endpoints;
    }

    public static async Task<Ok<SiloView[]>> GetAsync(IGrainFactory grains)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return TypedResults.Ok(hosts.Select(h => new SiloView(h.Key.ToParsableString(), h.Value.ToString())).OrderBy(s => s.Address, StringComparer.Ordinal).ToArray());
    }
}
