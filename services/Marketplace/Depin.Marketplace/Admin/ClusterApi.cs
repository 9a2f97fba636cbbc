using Depin.Marketplace.Auth;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Depin.Marketplace.Admin;

/// <summary>An active silo of the marketplace cluster, as the membership table lists it; its name is host:process id.</summary>
public sealed record SiloView(string Address, string Status, string Name);

/// <summary>Where a job's grain is active: a silo's address, or null when no silo has it in memory.</summary>
public sealed record JobPlacementView(string JobId, string? Silo);

/// <summary>
/// The marketplace's Orleans cluster, for admins: GET /api/admin/cluster lists the active silos, and
/// GET /api/admin/cluster/jobs/{id} names the silo a job's grain is active on.
/// </summary>
public static class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin/cluster").WithTags("Admin").RequireAuthorization(ApiKeys.AdminRole);
        group.MapGet("", GetAsync).WithName("GetCluster").WithSummary("The marketplace's active Orleans silos (its replicas).");
        group.MapGet("/jobs/{jobId}", GetJobPlacementAsync).WithName("GetJobPlacement").WithSummary("The silo a job's grain is active on (null when none).");
        return endpoints;
    }

    public static async Task<Ok<SiloView[]>> GetAsync(IGrainFactory grains)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        return TypedResults.Ok(hosts.Select(h => new SiloView(h.SiloAddress.ToParsableString(), h.Status.ToString(), h.SiloName)).OrderBy(s => s.Address, StringComparer.Ordinal).ToArray());
    }

    public static async Task<Results<Ok<JobPlacementView>, ProblemHttpResult>> GetJobPlacementAsync(string jobId, IGrainFactory grains)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            return Problems.NotFound("Job");
        }

        var silo = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grains.GetGrain<IJobGrain>(id));
        return TypedResults.Ok(new JobPlacementView(jobId, silo?.ToParsableString()));
    }
}
