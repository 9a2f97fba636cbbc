using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Kernels;
using Depin.Marketplace.Auth;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Jobs;
using Depin.Marketplace.Providers;
using Depin.Marketplace.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Workers;

/// <summary>Worker endpoints, called with the provider's API key: register, heartbeat, lease, upload results, release.</summary>
public static partial class WorkersApi
{
    public static RouteGroupBuilder MapWorkersApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/workers").WithTags("Workers").RequireAuthorization(ApiKeys.ProviderRole);
        group.MapPost("/", RegisterAsync).WithName("RegisterWorker").WithSummary("Registers a worker with its devices and ask price.");
        group.MapGet("/{workerId}", GetAsync).WithName("GetWorker").WithSummary("One of the caller's workers.");
        group.MapPost("/{workerId}/heartbeat", HeartbeatAsync).WithName("WorkerHeartbeat").WithSummary("Keeps the worker online and extends the listed leases.");
        group.MapPost("/{workerId}/lease", LeaseAsync).WithName("LeaseJob")
            .WithSummary("Long-polls for the best queued job this device can run; 204 when none arrived in time.");
        group.MapPost("/{workerId}/leases", LeaseManyAsync).WithName("LeaseJobs")
            .WithSummary("Long-polls like /lease, then takes up to maxJobs (1..16) of the best queued jobs this device can run at once.");
        group.MapPost("/{workerId}/jobs/{jobId}/result", SubmitResultAsync).WithName("SubmitResult")
            .WithSummary("Uploads a result under the lease's fencing token; it is verified before payment.");
        group.MapPost("/{workerId}/results", SubmitResultsAsync).WithName("SubmitResults")
            .WithSummary("Uploads up to 16 results at once, each under its lease's fencing token; each job gets the verdict its own upload would have.");
        group.MapPost("/{workerId}/jobs/{jobId}/release", ReleaseAsync).WithName("ReleaseLease").WithSummary("Gives a lease back; the job is requeued.");
        return group;
    }

    /// <summary>The worker as its provider sees it, its reputation as of <paramref name="now"/>.</summary>
    public static WorkerView ToView(this WorkerState s, string workerId, DateTimeOffset now, MarketplaceOptions options)
    {
        var r = s.Registration!;
        return new WorkerView(
            workerId,
            r.ProviderId,
            r.Name,
            [.. r.Devices.Select(d => new DeviceInfo(d.Name, d.MemoryBytes, d.ComputeUnits, d.BenchmarkScore))],
            r.Kinds,
            r.AskPricePerMegaUnit,
            s.Online ? "online" : "offline",
            s.LastHeartbeat,
            [.. s.ActiveLeases.Select(l => l.JobId)],
            s.CompletedJobs,
            s.FailedVerifications,
            s.ExpiredLeases,
            [.. s.Slashes.Select(x => new SlashView(x.JobId, x.FencingToken, x.ResultDigest, x.Check, x.Amount, x.LedgerTransaction, x.LedgerHeight, x.At))],
            s.Reputation.ValueAt(now, options.ReputationHalfLife));
    }

    public static async Task<Results<Created<WorkerView>, ValidationProblem>> RegisterAsync(
        RegisterWorkerRequest request, ClaimsPrincipal user, IGrainFactory grains, KernelRegistry kernels, IOptions<MarketplaceOptions> options, TimeProvider time)
    {
        var errors = new FieldErrors()
            .Require(!string.IsNullOrWhiteSpace(request.Name) && request.Name.Length <= 100, "name", "must be 1..100 characters")
            .Require(request.AskPricePerMegaUnit is > 0 && request.AskPricePerMegaUnit <= options.Value.MaxPricePerMegaUnit,
                "askPricePerMegaUnit", $"must be between 1 and {options.Value.MaxPricePerMegaUnit} micro-credits per 1,000,000 work units")
            .Require(request.Devices is { Count: > 0 and <= 64 }, "devices", "must list 1..64 devices");
        for (var i = 0; request.Devices is not null && i < request.Devices.Count; i++)
        {
            var d = request.Devices[i];
            if (d is null)
            {
                errors.Add($"devices[{i}]", "must be an object");
                continue;
            }

            errors.Require(!string.IsNullOrWhiteSpace(d.Name), $"devices[{i}].name", "is required")
                .Require(d.MemoryBytes > 0, $"devices[{i}].memoryBytes", "must be positive")
                .Require(d.ComputeUnits > 0, $"devices[{i}].computeUnits", "must be positive")
                .Require(d.BenchmarkScore >= 0, $"devices[{i}].benchmarkScore", "must not be negative");
        }

        var kinds = request.Kinds is { Count: > 0 } ? request.Kinds : [.. kernels.Kinds.Order()];
        foreach (var kind in kinds)
        {
            errors.Require(kind is not null && kernels.TryGet(kind, out _), "kinds", $"'{kind}' is not one of {string.Join(", ", kernels.Kinds.Order())}");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.Errors);
        }

        var providerId = user.PrincipalId();
        var workerId = "wrk_" + Guid.NewGuid().ToString("N");
        var registration = new WorkerRegistration(
            providerId,
            request.Name.Trim(),
            [.. request.Devices!.Select(d => new WorkerDevice(d.Name.Trim(), d.MemoryBytes, d.ComputeUnits, d.BenchmarkScore))],
            [.. kinds.Distinct()],
            request.AskPricePerMegaUnit);
        var state = await grains.GetGrain<IWorkerGrain>(workerId).Register(registration);
        await grains.GetGrain<IProviderGrain>(providerId).AddWorker(workerId);
        return TypedResults.Created($"/api/workers/{workerId}", state.ToView(workerId, time.GetUtcNow(), options.Value));
    }

    public static async Task<Results<Ok<WorkerView>, ProblemHttpResult>> GetAsync(
        string workerId, ClaimsPrincipal user, IGrainFactory grains, IOptions<MarketplaceOptions> options, TimeProvider time)
    {
        var state = await FindOwnWorkerAsync(workerId, user, grains);
        return state is null ? Problems.NotFound("Worker") : TypedResults.Ok(state.ToView(workerId, time.GetUtcNow(), options.Value));
    }

    public static async Task<Results<Ok<HeartbeatResponse>, ProblemHttpResult, ValidationProblem>> HeartbeatAsync(
        string workerId, HeartbeatRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await FindOwnWorkerAsync(workerId, user, grains) is null)
        {
            return Problems.NotFound("Worker");
        }

        var leases = request.Leases ?? [];
        if (leases.Count > 256 || leases.Any(l => l is null || !Guid.TryParse(l.JobId, out _)))
        {
            return Problems.Invalid("leases", "must be at most 256 entries with job UUIDs");
        }

        var state = await grains.GetGrain<IWorkerGrain>(workerId).Heartbeat();
        var extensions = await Task.WhenAll(leases.Select(async l =>
        {
            var expires = await grains.GetGrain<IJobGrain>(Guid.Parse(l.JobId)).ExtendLease(workerId, l.FencingToken);
            return new LeaseExtension(l.JobId, expires is not null, expires);
        }));
        return TypedResults.Ok(new HeartbeatResponse(workerId, state.Online ? "online" : "offline", extensions));
    }

    /// <summary>The most jobs one lease request takes.</summary>
    public const int MaxJobsPerLease = 16;

    public static async Task<Results<Ok<LeaseView>, NoContent, ProblemHttpResult, ValidationProblem>> LeaseAsync(
        string workerId, LeaseRequest request, ClaimsPrincipal user, IGrainFactory grains, ILedgerClient ledger, IOptions<MarketplaceOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (request.MaxJobs != 1)
        {
            return Problems.Invalid("maxJobs", $"must be 1 here; POST /api/workers/{{workerId}}/leases takes up to {MaxJobsPerLease}");
        }

        return await LeaseCoreAsync(workerId, request, user, grains, ledger, options, time, cancellationToken) switch
        {
            { Result: ProblemHttpResult problem } => problem,
            { Result: ValidationProblem invalid } => invalid,
            { Result: { } other } => throw new InvalidOperationException("Unexpected lease refusal " + other.GetType().Name),
            { Leases: [var lease, ..] } => TypedResults.Ok(lease),
            _ => TypedResults.NoContent(),
        };
    }

    public static async Task<Results<Ok<LeaseBatchView>, NoContent, ProblemHttpResult, ValidationProblem>> LeaseManyAsync(
        string workerId, LeaseRequest request, ClaimsPrincipal user, IGrainFactory grains, ILedgerClient ledger, IOptions<MarketplaceOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (request.MaxJobs is < 1 or > MaxJobsPerLease)
        {
            return Problems.Invalid("maxJobs", $"must be between 1 and {MaxJobsPerLease}");
        }

        return await LeaseCoreAsync(workerId, request, user, grains, ledger, options, time, cancellationToken) switch
        {
            { Result: ProblemHttpResult problem } => problem,
            { Result: ValidationProblem invalid } => invalid,
            { Result: { } other } => throw new InvalidOperationException("Unexpected lease refusal " + other.GetType().Name),
            { Leases.Count: > 0 } taken => TypedResults.Ok(new LeaseBatchView(taken.Leases)),
            _ => TypedResults.NoContent(),
        };
    }

    private static async Task<(IResult? Result, IReadOnlyList<LeaseView> Leases)> LeaseCoreAsync(
        string workerId, LeaseRequest request, ClaimsPrincipal user, IGrainFactory grains, ILedgerClient ledger, IOptions<MarketplaceOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var o = options.Value;
        var state = await FindOwnWorkerAsync(workerId, user, grains);
        if (state is null)
        {
            return (Problems.NotFound("Worker"), []);
        }

        var registration = state.Registration!;
        var errors = new FieldErrors()
            .Require(request.DeviceIndex >= 0 && request.DeviceIndex < registration.Devices.Length, "deviceIndex", $"must be between 0 and {registration.Devices.Length - 1}")
            .Require(request.WaitSeconds >= 0 && request.WaitSeconds <= o.MaxLeaseWait.TotalSeconds, "waitSeconds", $"must be between 0 and {o.MaxLeaseWait.TotalSeconds}");
        if (errors.Any)
        {
            return (Problems.Invalid(errors.Errors), []);
        }

        var worker = grains.GetGrain<IWorkerGrain>(workerId);
        var heartbeat = worker.Heartbeat();
        var read = grains.GetGrain<IProviderGrain>(registration.ProviderId).Get();
        await Task.WhenAll(heartbeat, read);
        var provider = await read;
        var reputation = state.Reputation.ValueAt(time.GetUtcNow(), o.ReputationHalfLife);
        if (reputation < o.MinReputation)
        {
            return (TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Reputation too low",
                detail: $"This worker's reputation is {reputation:0.###}, below the {o.MinReputation:0.###} that leasing needs (failed verifications and expired leases weigh on it and fade with a half-life of {o.ReputationHalfLife})."), []);
        }

        if (o.MinStakePerWorker > 0)
        {
            var required = ProvidersApi.RequiredStake(provider, o);
            var staked = (await ledger.GetAccountAsync(provider.PayoutAddress, cancellationToken)).Staked;
            if (staked < required)
            {
                return (TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not enough stake",
                    detail: $"Workers receive leases while their provider's bonded stake covers {o.MinStakePerWorker} micro-credits per worker: {required} for {provider.Workers.Count} worker(s), bonded {staked}. Stake with POST /api/providers/me/stake."), []);
            }
        }

        var offer = new LeaseOffer(workerId, provider.PayoutAddress, registration.AskPricePerMegaUnit, registration.Devices[request.DeviceIndex].MemoryBytes);
        var until = time.GetUtcNow() + TimeSpan.FromSeconds(request.WaitSeconds);
        // Among workers asking at once the more reliable one goes first: a worker short of full reputation holds back,
        // handing its wake-up on to the next waiter, so a job reaches a better worker that is waiting too.
        var handicap = reputation < 1 ? o.ReputationLeaseHandicap * (1 - reputation) : TimeSpan.Zero;
        IJobQueueGrain? wokenBy = null;
        try
        {
            while (true)
            {
                if (handicap > TimeSpan.Zero)
                {
                    if (wokenBy is not null)
                    {
                        await wokenBy.Relay();
                    }

                    await Task.Delay(handicap, time, cancellationToken);
                }

                if (await TryLeaseAsync(grains, registration.Kinds, offer, request.MaxJobs) is { Length: > 0 } grants)
                {
                    await worker.LeasesGranted([.. grants.Select(g => new WorkerLease(g.JobId.ToString("D"), g.FencingToken))]);
                    return (null, [.. grants.Select(ToView)]);
                }

                var left = until - time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    return (null, []);
                }

                wokenBy = await WaitForJobAsync(grains, registration.Kinds, offer, left < o.LeasePollInterval ? left : o.LeasePollInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, []);
        }
    }

    private static LeaseView ToView(LeaseGrant grant)
    {
        using var doc = JsonDocument.Parse(grant.ParametersJson);
        return new LeaseView(
            grant.JobId.ToString("D"), grant.Kind, doc.RootElement.Clone(), grant.InputBase64,
            grant.FencingToken, grant.ExpiresAt, grant.WorkUnits, grant.Price, grant.TraceParent);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ReleaseAsync(
        string workerId, string jobId, ReleaseLeaseRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await FindOwnWorkerAsync(workerId, user, grains) is null)
        {
            return Problems.NotFound("Worker");
        }

        if (!Guid.TryParse(jobId, out var id))
        {
            return Problems.NotFound("Job");
        }

        var reason = request.Reason is { Length: > 500 } r ? r[..500] : request.Reason;
        return await grains.GetGrain<IJobGrain>(id).Release(workerId, request.FencingToken, reason)
            ? TypedResults.NoContent()
            : Problems.Conflict("The lease is not current.");
    }

    /// <summary>
    /// Asks each queue of the worker's kinds, best bid first (oldest first among equals), until one grants leases (up to
    /// <paramref name="max"/>, from that queue). A worker of one kind asks its queue directly.
    /// </summary>
    private static async Task<LeaseGrant[]> TryLeaseAsync(IGrainFactory grains, ImmutableArray<string> kinds, LeaseOffer offer, int max)
    {
        if (kinds.Length == 1)
        {
            return await grains.GetGrain<IJobQueueGrain>(kinds[0]).TryLease(offer, max);
        }

        var peeks = await Task.WhenAll(kinds.Select(async k => (Kind: k, Entry: await grains.GetGrain<IJobQueueGrain>(k).Peek(offer))));
        foreach (var (kind, _) in peeks.Where(p => p.Entry is not null)
                     .OrderByDescending(p => p.Entry!.MaxPricePerMegaUnit).ThenBy(p => p.Entry!.CreatedAt))
        {
            if (await grains.GetGrain<IJobQueueGrain>(kind).TryLease(offer, max) is { Length: > 0 } grants)
            {
                return grants;
            }
        }

        return [];
    }

    /// <summary>
    /// Waits in the queues of the worker's kinds (wherever they are active) until one of them has a job for it: that
    /// queue, or null after <paramref name="timeout"/>. A worker of several kinds waits in each; the first to answer
    /// withdraws the others, so that no queue wakes a request that has gone.
    /// </summary>
    private static async Task<IJobQueueGrain?> WaitForJobAsync(IGrainFactory grains, ImmutableArray<string> kinds, LeaseOffer offer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (kinds.Length == 1)
        {
            var queue = grains.GetGrain<IJobQueueGrain>(kinds[0]);
            return await queue.WaitForJob(offer, timeout, cancellationToken) ? queue : null;
        }

        using var withdraw = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var queues = kinds.Select(k => grains.GetGrain<IJobQueueGrain>(k)).ToArray();
        var waits = queues.Select(q => q.WaitForJob(offer, timeout, withdraw.Token)).ToList();
        var pending = new List<Task<bool>>(waits);
        try
        {
            while (pending.Count > 0)
            {
                var answered = await Task.WhenAny(pending);
                pending.Remove(answered);
                bool woken;
                try
                {
                    woken = await answered;
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // One queue that cannot answer now (its grain moving between silos) is as good as no job there.
                    woken = false;
                }

                if (woken)
                {
                    return queues[waits.IndexOf(answered)];
                }
            }

            return null;
        }
        finally
        {
            withdraw.Cancel();
            foreach (var wait in pending)
            {
                _ = wait.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private static async Task<WorkerState?> FindOwnWorkerAsync(string workerId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(workerId) || workerId.Length > 100)
        {
            return null;
        }

        var state = await grains.GetGrain<IWorkerGrain>(workerId).Get();
        return state.Registration?.ProviderId == user.PrincipalId() ? state : null;
    }
}
