using Depin.Kernels;
using Depin.Marketplace.Auth;
using Depin.Marketplace.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Depin.Marketplace.Canaries;

/// <summary>Admin endpoints of the canaries: what ran and how it was judged, and a canary on demand.</summary>
public static class CanariesApi
{
    public static RouteGroupBuilder MapCanariesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin/canaries").WithTags("Admin").RequireAuthorization(ApiKeys.AdminRole);
        group.MapGet("/", GetAsync).WithName("GetCanaries").WithSummary("Canary counts (submitted, passed, failed, skipped) and the latest canaries with their verdicts.");
        group.MapPost("/", RunAsync).WithName("RunCanary").WithSummary("Submits a canary now (?kind= to choose the kind); 422 with the reason when none could be submitted.");
        return group;
    }

    public static async Task<Ok<CanaryView>> GetAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICanaryGrain>(CanaryGrain.Key).Get());

    public static async Task<Results<Ok<CanaryEntry>, ValidationProblem, ProblemHttpResult>> RunAsync(string? kind, IGrainFactory grains, KernelRegistry kernels)
    {
        if (kind is not null && (!kernels.TryGet(kind, out _) || !CanaryParameters.Covers(kind)))
        {
            return Problems.Invalid("kind", "must be one of " + string.Join(", ", kernels.Kinds.Order()));
        }

        var entry = await grains.GetGrain<ICanaryGrain>(CanaryGrain.Key).Run(force: true, kind);
        return entry is { Outcome: "submitted" }
            ? TypedResults.Ok(entry)
            : TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "No canary submitted", detail: entry?.Detail);
    }
}
