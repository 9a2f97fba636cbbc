using System.Security.Claims;
using System.Text.Json;
using Depin.Contracts.Marketplace;
using Depin.Kernels;
using Depin.Marketplace.Auth;
using Depin.Contracts.Ledger;
using Depin.Marketplace.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Jobs;

/// <summary>Customer job endpoints: submit, list, read, cancel, fetch results.</summary>
public static class JobsApi
{
    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization(ApiKeys.CustomerRole);
        group.MapPost("/", SubmitAsync).WithName("SubmitJob").WithSummary("Submits a job and locks its escrow (402 when funds are insufficient).");
        group.MapGet("/", ListAsync).WithName("ListJobs").WithSummary("Lists the caller's jobs, newest first.");
        group.MapGet("/{jobId}", GetAsync).WithName("GetJob").WithSummary("Reads one of the caller's jobs with its history.");
        group.MapPost("/{jobId}/cancel", CancelAsync).WithName("CancelJob").WithSummary("Cancels a job that is not verified yet; its escrow is refunded.");
        group.MapGet("/{jobId}/result", GetResultAsync).WithName("GetJobResult").WithSummary("Downloads a verified result (octet-stream, digest in X-Result-Digest).");
        return group;
    }

    public static async Task<Results<Created<JobView>, Ok<JobView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        SubmitJobRequest request, ClaimsPrincipal user, IGrainFactory grains, KernelRegistry kernels, IOptions<MarketplaceOptions> options, TimeProvider time)
    {
        var o = options.Value;
        var errors = new FieldErrors();
        IKernel? kernel = null;
        if (string.IsNullOrWhiteSpace(request.Kind) || !kernels.TryGet(request.Kind, out kernel))
        {
            errors.Add("kind", "must be one of " + string.Join(", ", kernels.Kinds.Order()));
        }

        errors.Require(request.MaxPricePerMegaUnit is > 0 && request.MaxPricePerMegaUnit <= o.MaxPricePerMegaUnit,
            "maxPricePerMegaUnit", $"must be between 1 and {o.MaxPricePerMegaUnit} micro-credits per 1,000,000 work units");
        errors.Require(request.Deadline is null || request.Deadline > time.GetUtcNow(), "deadline", "must be in the future");
        errors.Require(request.IdempotencyKey is null || request.IdempotencyKey.Length is > 0 and <= 200, "idempotencyKey", "must be 1..200 characters");
        byte[]? input = null;
        if (request.InputBase64 is not null)
        {
            try
            {
                input = Convert.FromBase64String(request.InputBase64);
                errors.Require(input.Length <= o.MaxInputBytes, "inputBase64", $"must be at most {o.MaxInputBytes} bytes");
            }
            catch (FormatException)
            {
                errors.Add("inputBase64", "must be base64");
            }
        }

        if (kernel is not null)
        {
            foreach (var error in kernel.Validate(request.Parameters))
            {
                errors.Add(error.Field == "$" ? "parameters" : "parameters." + error.Field, error.Reason);
            }
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.Errors);
        }

        var workUnits = kernel!.WorkUnits(request.Parameters);
        if (Pricing.Total(request.MaxPricePerMegaUnit, workUnits) is not { } escrow)
        {
            return Problems.Invalid("maxPricePerMegaUnit", "the job's total price does not fit in 64 bits");
        }

        var customerId = user.PrincipalId();
        var submission = new JobSubmission(
            customerId,
            LedgerIds.CustomerAddress(customerId),
            kernel.Kind,
            request.Parameters.GetRawText(),
            request.InputBase64,
            workUnits,
            kernel.MinMemoryBytes(request.Parameters),
            request.MaxPricePerMegaUnit,
            escrow,
            request.Deadline ?? time.GetUtcNow() + o.DefaultJobDeadline,
            // The job's trace: the worker continues it when it uploads the result, so verification, settlement and
            // the rewards that count the work join the submission's trace (W3C traceparent).
            System.Diagnostics.Activity.Current?.Id);
        // With an idempotency key the id derives from it, so a repeated submission finds the first job (in the ledger).
        var jobId = request.IdempotencyKey is { } key ? LedgerIds.JobId(customerId, key) : Guid.NewGuid();
        var submitted = await grains.GetGrain<IJobGrain>(jobId).Submit(submission);
        if (!submitted.Job.Exists)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Idempotency key already used",
                detail: "An earlier submission with this idempotency key was refused (it could not be stored) and its escrow is refunded. Submit again with another key.",
                extensions: new Dictionary<string, object?> { ["jobId"] = jobId.ToString("D") });
        }

        var view = submitted.Job.ToView(jobId);
        if (view.Status == JobStatuses.Rejected)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status402PaymentRequired,
                title: "Job rejected",
                detail: $"The escrow of {escrow} micro-credits could not be locked: {view.FailureReason}. Nothing was locked.",
                extensions: new Dictionary<string, object?> { ["jobId"] = view.JobId, ["jobStatus"] = view.Status, ["escrow"] = escrow });
        }

        return submitted.Existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/jobs/{view.JobId}", view);
    }

    /// <summary>The caller's funded jobs from the ledger's index of its submissions (a rejected submission is not listed).</summary>
    public static async Task<Results<Ok<JobList>, ValidationProblem>> ListAsync(ClaimsPrincipal user, IGrainFactory grains, ILedgerJobs ledger, int? limit, int? before, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 500)
        {
            return Problems.Invalid("limit", "must be within 1..500");
        }

        if (before is < 0)
        {
            return Problems.Invalid("before", "must be the next value of a previous page");
        }

        var page = await ledger.GetJobsAsync(LedgerIds.CustomerAddress(user.PrincipalId()), provider: false, limit ?? 100, before, cancellationToken);
        var jobs = await Task.WhenAll(page.Jobs.Select(async r => (Id: Guid.Parse(r.Job), State: await grains.GetGrain<IJobGrain>(Guid.Parse(r.Job)).Get())));
        return TypedResults.Ok(new JobList([.. jobs.Where(j => j.State.Exists).Select(j => j.State.ToView(j.Id))], page.Next));
    }

    /// <summary>One of the caller's jobs; a queued one says why it waits (no worker of its kind, asks above its bid, memory, or busy workers).</summary>
    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> GetAsync(string jobId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (id, state) = await FindOwnJobAsync(jobId, user, grains);
        if (state is null)
        {
            return Problems.NotFound("Job");
        }

        var view = state.ToView(id);
        if (state.Status == JobStatuses.Queued)
        {
            var job = state.Submission!;
            view = view with { Waiting = await grains.GetGrain<Scheduling.IJobQueueGrain>(job.Kind).WhyWaiting(id, job.MaxPricePerMegaUnit, job.MinMemoryBytes) };
        }

        return TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> CancelAsync(string jobId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (id, state) = await FindOwnJobAsync(jobId, user, grains);
        if (state is null)
        {
            return Problems.NotFound("Job");
        }

        var job = grains.GetGrain<IJobGrain>(id);
        if (!await job.Cancel())
        {
            return Problems.Conflict($"The job is {state.Status}; only jobs that are not verified yet can be cancelled.");
        }

        return TypedResults.Ok((await job.Get()).ToView(id));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetResultAsync(
        string jobId, ClaimsPrincipal user, IGrainFactory grains, Depin.ServiceDefaults.Storage.IContentStore content, HttpContext context)
    {
        var (id, state) = await FindOwnJobAsync(jobId, user, grains);
        if (state is null)
        {
            return Problems.NotFound("Job");
        }

        if (state.Status is not (JobStatuses.Verified or JobStatuses.Settled) || state.ResultDigest is not { } digest)
        {
            return Problems.Conflict($"The job is {state.Status}; a result is available once it is verified.");
        }

        var bytes = await content.GetAsync(digest, context.RequestAborted);
        if (bytes is null)
        {
            return Problems.NotFound("Result");
        }

        context.Response.Headers["X-Result-Digest"] = state.ResultDigest;
        return TypedResults.File(bytes, "application/octet-stream", $"{id:D}.bin");
    }

    /// <summary>The caller's job; null for a malformed id, an unknown job or another customer's job (all 404).</summary>
    private static async Task<(Guid Id, JobState? State)> FindOwnJobAsync(string jobId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            return (id, null);
        }

        var state = await grains.GetGrain<IJobGrain>(id).Get();
        return state.Exists && state.Submission!.CustomerId == user.PrincipalId() ? (id, state) : (id, null);
    }
}
