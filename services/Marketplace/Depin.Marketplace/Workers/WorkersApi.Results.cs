using System.Diagnostics;
using System.Security.Claims;
using Depin.Contracts.Marketplace;
using Depin.Kernels;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Workers;

/// <summary>Result uploads: one job per request, or several (a lease batch) in one.</summary>
public static partial class WorkersApi
{
    public static async Task<Results<Ok<ResultVerdict>, ProblemHttpResult, ValidationProblem>> SubmitResultAsync(
        string workerId, string jobId, SubmitResultRequest request, ClaimsPrincipal user, IGrainFactory grains, IOptions<MarketplaceOptions> options)
    {
        if (await FindOwnWorkerAsync(workerId, user, grains) is null)
        {
            return Problems.NotFound("Worker");
        }

        if (!Guid.TryParse(jobId, out var id))
        {
            return Problems.NotFound("Job");
        }

        var errors = new FieldErrors();
        var bytes = ValidateResult(errors, "", request.FencingToken, request.ResultBase64, request.Digest, options.Value);
        if (errors.Any)
        {
            return Problems.Invalid(errors.Errors);
        }

        var outcome = ToOutcome(jobId, await CompleteAsync(grains.GetGrain<IJobGrain>(id), workerId, request.FencingToken, request.Digest, bytes!, null));
        return outcome switch
        {
            { Verdict: { } verdict } => TypedResults.Ok(verdict),
            { Code: StatusCodes.Status409Conflict } => Problems.Conflict(outcome.Problem!),
            { Code: StatusCodes.Status403Forbidden } => Problems.Forbidden(outcome.Problem!),
            _ => Problems.NotFound("Job"),
        };
    }

    /// <summary>
    /// Several results in one request: a malformed entry refuses the whole request (400 naming <c>results[i].field</c>,
    /// nothing stored); otherwise each job is judged as its own upload would be and gets that status in the answer.
    /// </summary>
    public static async Task<Results<Ok<ResultBatchVerdict>, ProblemHttpResult, ValidationProblem>> SubmitResultsAsync(
        string workerId, SubmitResultsRequest request, ClaimsPrincipal user, IGrainFactory grains, IOptions<MarketplaceOptions> options)
    {
        var uploads = request.Results;
        if (uploads is not { Count: > 0 and <= MaxJobsPerLease })
        {
            return Problems.Invalid("results", $"must list 1..{MaxJobsPerLease} results");
        }

        var errors = new FieldErrors();
        var jobs = new Guid[uploads.Count];
        var bytes = new byte[uploads.Count][];
        for (var i = 0; i < uploads.Count; i++)
        {
            if (uploads[i] is not { } upload)
            {
                errors.Add($"results[{i}]", "must be an object");
                continue;
            }

            errors.Require(Guid.TryParse(upload.JobId, out jobs[i]), $"results[{i}].jobId", "must be a job id")
                .Require(Array.IndexOf(jobs, jobs[i]) == i || jobs[i] == Guid.Empty, $"results[{i}].jobId", "appears twice");
            bytes[i] = ValidateResult(errors, $"results[{i}].", upload.FencingToken, upload.ResultBase64, upload.Digest, options.Value) ?? [];
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.Errors);
        }

        if (await FindOwnWorkerAsync(workerId, user, grains) is null)
        {
            return Problems.NotFound("Worker");
        }

        var outcomes = await Task.WhenAll(uploads.Select((upload, i) =>
            CompleteAsync(grains.GetGrain<IJobGrain>(jobs[i]), workerId, upload.FencingToken, upload.Digest, bytes[i], upload.TraceParent)));
        return TypedResults.Ok(new ResultBatchVerdict([.. outcomes.Select((outcome, i) => ToOutcome(uploads[i].JobId, outcome))]));
    }

    /// <summary>A judged upload as the API answers it (the single-result endpoint turns the non-200 ones into problems).</summary>
    private static ResultOutcome ToOutcome(string jobId, CompletionResult outcome) => outcome.Outcome switch
    {
        CompletionStatus.Accepted => new(jobId, StatusCodes.Status200OK, new ResultVerdict(jobId, outcome.JobStatus, true, null), null),
        CompletionStatus.Rejected => new(jobId, StatusCodes.Status200OK, new ResultVerdict(jobId, outcome.JobStatus, false, outcome.Reason), null),
        CompletionStatus.Stale => new(jobId, StatusCodes.Status409Conflict, null, outcome.Reason ?? "stale lease"),
        CompletionStatus.NotHolder => new(jobId, StatusCodes.Status403Forbidden, null, outcome.Reason ?? "this worker does not hold the job"),
        _ => new(jobId, StatusCodes.Status404NotFound, null, "Job not found"),
    };

    /// <summary>The decoded result, or null with the reasons added to <paramref name="errors"/> under <paramref name="prefix"/>.</summary>
    private static byte[]? ValidateResult(FieldErrors errors, string prefix, long fencingToken, string? resultBase64, string? digest, MarketplaceOptions options)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(resultBase64 ?? "");
        }
        catch (FormatException)
        {
            errors.Add(prefix + "resultBase64", "must be base64");
            return null;
        }

        var before = errors.Errors.Count;
        errors.Require(bytes.Length > 0 && bytes.Length <= options.MaxResultBytes, prefix + "resultBase64", $"must be 1..{options.MaxResultBytes} bytes")
            .Require(fencingToken > 0, prefix + "fencingToken", "must be positive");
        if (errors.Errors.Count == before && !string.Equals(ResultDigest.Sha256Hex(bytes), digest, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(prefix + "digest", "does not match the SHA-256 of the result");
        }

        return errors.Errors.Count == before ? bytes : null;
    }

    /// <summary>
    /// Judges one upload. A batch entry's <paramref name="traceParent"/> (its job's, from the lease) puts the completion,
    /// and what follows it (verification, settlement), in the job's trace rather than the batch request's.
    /// </summary>
    private static async Task<CompletionResult> CompleteAsync(IJobGrain job, string workerId, long fencingToken, string digest, byte[] bytes, string? traceParent)
    {
        using var trace = traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent)
            ? new Activity("job result").SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags).Start()
            : null;
        return await job.Complete(workerId, fencingToken, digest.ToLowerInvariant(), bytes);
    }
}
