using System.Text.Json;
using Depin.Contracts.Events;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Kernels;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Scheduling;
using Depin.Marketplace.Workers;
using Depin.ServiceDefaults.Eventing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Jobs;

/// <summary>
/// A job and its state machine: submitted → funded (escrow locked) → queued → leased → completed → verified → settled,
/// or rejected at funding, or failed / cancelled / expired → refunded. Key: job UUID. The grain coordinates (it
/// serialises the job's transitions, verifies results, wakes waiting leases); the ledger decides: every transition that
/// matters goes through the ledger's job programs, and on activation the grain adopts what the ledger's record says.
/// </summary>
public interface IJobGrain : IGrainWithGuidKey
{
    /// <summary>Creates the job and locks its escrow; idempotent (returns the existing job).</summary>
    Task<JobState> Submit(JobSubmission submission);

    Task<JobState> Get();

    /// <summary>Leases the job to a worker when it is queued, the price fits and the deadline has not passed; else null.</summary>
    Task<LeaseGrant?> Lease(LeaseOffer offer);

    /// <summary>Extends the current lease; null when the lease is not current.</summary>
    Task<DateTimeOffset?> ExtendLease(string workerId, long fencingToken);

    /// <summary>Judges an uploaded result (stored under the fencing token) and pays only verified results.</summary>
    Task<CompletionResult> Complete(string workerId, long fencingToken, string digest);

    /// <summary>A worker gives its lease back; the job is requeued without counting a failure.</summary>
    Task<bool> Release(string workerId, long fencingToken, string? reason);

    /// <summary>The worker went offline: a current lease is treated as expired.</summary>
    Task RecoverLease(string workerId, long fencingToken, string reason);

    /// <summary>Cancels a job that has not been verified; false when it is too late.</summary>
    Task<bool> Cancel();

    Task MarkSettled(string transactionId, long height);

    Task MarkRefunded(string transactionId, long height);
}

/// <inheritdoc cref="IJobGrain"/>
public sealed partial class JobGrain(
    [PersistentState("job", MarketplaceExtensions.StorageName)] IPersistentState<JobState> state,
    ILedgerClient ledger,
    IEventPublisher events,
    IJobResultStore results,
    ILedgerJobs records,
    KernelRegistry kernels,
    IOptions<MarketplaceOptions> options,
    TimeProvider time,
    ILogger<JobGrain> logger)
    : Grain, IJobGrain
{
    private IGrainTimer? _timer;

    private Guid JobId => this.GetPrimaryKey();

    private JobState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Exists && !S.IsFinal)
        {
            await ReconcileAsync(cancellationToken);
            if (!S.IsFinal)
            {
                StartTimer();
            }
        }
    }

    public async Task<JobState> Submit(JobSubmission submission)
    {
        if (!S.Exists)
        {
            var now = time.GetUtcNow();
            state.State = new JobState(submission, JobStatuses.Submitted, now, [new JobTransition(JobStatuses.Submitted, now, null)]);
            await state.WriteStateAsync();
        }

        if (S.Status == JobStatuses.Submitted)
        {
            await FundAsync();
        }

        return S;
    }

    public Task<JobState> Get() => Task.FromResult(S);

    public async Task<LeaseGrant?> Lease(LeaseOffer offer)
    {
        var now = time.GetUtcNow();
        if (S.Status != JobStatuses.Queued || S.Submission is not { } job)
        {
            return null;
        }

        if (job.Deadline is { } deadline && now >= deadline)
        {
            await EndAsync(JobStatuses.Expired, "deadline passed while queued");
            return null;
        }

        if (offer.AskPricePerMegaUnit > job.MaxPricePerMegaUnit || offer.DeviceMemoryBytes < job.MinMemoryBytes)
        {
            await EnqueueAsync();
            return null;
        }

        var price = Pricing.Total(offer.AskPricePerMegaUnit, job.WorkUnits)!.Value;
        var fee = (long)((Int128)price * options.Value.FeeBasisPoints / 10_000);
        var token = S.FencingToken + 1;
        var expires = now + options.Value.LeaseDuration;
        var leased = (await ledger.SubmitAsync([JobLedger.Lease(JobId, token, offer.WorkerId, offer.ProviderAddress, expires)]))[0];
        if (!leased.Succeeded)
        {
            // The ledger's record moved on (deadline, budget, a lease this grain did not record): follow it.
            await ReconcileAsync(CancellationToken.None);
            return null;
        }

        Transition(JobStatuses.Leased, $"worker {offer.WorkerId}, token {token}, price {price}", now) ;
        state.State = S with
        {
            Attempts = S.Attempts + 1,
            FencingToken = token,
            WorkerId = offer.WorkerId,
            ProviderAddress = offer.ProviderAddress,
            LeaseExpiresAt = expires,
            Price = price,
            Fee = fee,
        };
        await state.WriteStateAsync();
        return new LeaseGrant(JobId, job.Kind, job.ParametersJson, job.InputBase64, token, expires, job.WorkUnits, price);
    }

    public async Task<DateTimeOffset?> ExtendLease(string workerId, long fencingToken)
    {
        if (!HoldsLease(workerId, fencingToken))
        {
            return null;
        }

        var expires = time.GetUtcNow() + options.Value.LeaseDuration;
        var extended = (await ledger.SubmitAsync([JobLedger.Extend(JobId, fencingToken, workerId, expires)]))[0];
        if (!extended.Succeeded)
        {
            return null;
        }

        state.State = S with { LeaseExpiresAt = expires };
        await state.WriteStateAsync();
        return expires;
    }

    public async Task<CompletionResult> Complete(string workerId, long fencingToken, string digest)
    {
        if (!S.Exists)
        {
            return new CompletionResult(CompletionStatus.NotFound, "", null);
        }

        if (!HoldsLease(workerId, fencingToken))
        {
            // A worker that never held this job is forbidden; one whose lease moved on is stale.
            var heldBefore = S.History.Any(t => t.Status == JobStatuses.Leased && t.Detail?.StartsWith($"worker {workerId},", StringComparison.Ordinal) == true);
            return heldBefore
                ? new CompletionResult(CompletionStatus.Stale, S.Status, "the lease is no longer current (fencing token " + S.FencingToken + ")")
                : new CompletionResult(CompletionStatus.NotHolder, S.Status, "this worker does not hold the job");
        }

        var job = S.Submission!;
        var completed = (await ledger.SubmitAsync([JobLedger.Complete(JobId, fencingToken, workerId, digest)]))[0];
        if (!completed.Succeeded)
        {
            return new CompletionResult(CompletionStatus.Stale, S.Status, "the ledger refused the completion: " + completed.Status);
        }

        Transition(JobStatuses.Completed, $"digest {digest}", time.GetUtcNow());
        state.State = S with { ResultDigest = digest, ResultToken = fencingToken };
        await state.WriteStateAsync();

        var outcome = await VerifyAsync(job, fencingToken, workerId);
        var worker = GrainFactory.GetGrain<IWorkerGrain>(workerId);
        if (outcome.Ok)
        {
            Transition(JobStatuses.Verified, null, time.GetUtcNow());
            state.State = S with { PendingSince = time.GetUtcNow(), LeaseExpiresAt = null };
            await state.WriteStateAsync();
            await worker.LeaseEnded(JobId.ToString("D"), fencingToken, LeaseOutcome.Verified);
            await PublishVerifiedAsync();
            return new CompletionResult(CompletionStatus.Accepted, S.Status, null);
        }

        LogVerificationFailed(JobId, workerId, outcome.Reason);
        await events.PublishAsync(WorkerActivityTopics.VerificationFailed, new VerificationFailedEvent(
            $"{JobId:D}:failed:{fencingToken}", JobId.ToString("D"), workerId, S.ProviderAddress ?? "", outcome.Reason ?? "verification failed", time.GetUtcNow()));
        await worker.LeaseEnded(JobId.ToString("D"), fencingToken, LeaseOutcome.VerificationFailed);
        await EndAttemptAsync("verification failed: " + outcome.Reason);
        return new CompletionResult(CompletionStatus.Rejected, S.Status, outcome.Reason);
    }

    public async Task<bool> Release(string workerId, long fencingToken, string? reason)
    {
        if (!HoldsLease(workerId, fencingToken))
        {
            return false;
        }

        await GrainFactory.GetGrain<IWorkerGrain>(workerId).LeaseEnded(JobId.ToString("D"), fencingToken, LeaseOutcome.Released);
        await EndAttemptAsync("released by worker" + (reason is null ? "" : ": " + reason));
        return true;
    }

    public async Task RecoverLease(string workerId, long fencingToken, string reason)
    {
        if (HoldsLease(workerId, fencingToken))
        {
            await ExpireLeaseAsync(reason);
        }
    }

    public async Task<bool> Cancel()
    {
        switch (S.Status)
        {
            case JobStatuses.Submitted or JobStatuses.Funded or JobStatuses.Queued or JobStatuses.Leased:
                if (S.Status == JobStatuses.Leased && S.WorkerId is { } workerId)
                {
                    await GrainFactory.GetGrain<IWorkerGrain>(workerId).LeaseEnded(JobId.ToString("D"), S.FencingToken, LeaseOutcome.Cancelled);
                    // The lease ends in the ledger first (as its holder), so that the queued job can be cancelled there.
                    await ledger.SubmitAsync([JobLedger.Fail(JobId, S.Submission!.CustomerAddress, S.FencingToken, workerId)]);
                }

                await EndAsync(JobStatuses.Cancelled, "cancelled by customer");
                return true;
            case JobStatuses.Cancelled or JobStatuses.Refunded when S.FailureReason == "cancelled by customer":
                return true;
            default:
                return false;
        }
    }

    public async Task MarkSettled(string transactionId, long height)
    {
        if (S.Status != JobStatuses.Verified)
        {
            return;
        }

        Transition(JobStatuses.Settled, $"ledger tx {transactionId} at height {height}", time.GetUtcNow());
        state.State = S with { SettlementTxId = transactionId, PendingSince = null };
        await state.WriteStateAsync();
        StopTimer();
        await events.PublishAsync(MarketplaceTopics.JobSettled,
            new JobSettledEvent(JobId.ToString("D") + ":settled", JobId.ToString("D"), transactionId, height, time.GetUtcNow()));
    }

    public async Task MarkRefunded(string transactionId, long height)
    {
        if (S.Status is not (JobStatuses.Cancelled or JobStatuses.Failed or JobStatuses.Expired))
        {
            return;
        }

        Transition(JobStatuses.Refunded, $"ledger tx {transactionId} at height {height}", time.GetUtcNow());
        state.State = S with { RefundTxId = transactionId, PendingSince = null };
        await state.WriteStateAsync();
        StopTimer();
        await events.PublishAsync(MarketplaceTopics.JobRefunded,
            new JobRefundedEvent(JobId.ToString("D") + ":refunded", JobId.ToString("D"), transactionId, height, time.GetUtcNow()));
    }

    private bool HoldsLease(string workerId, long fencingToken) =>
        S.Status == JobStatuses.Leased && S.FencingToken == fencingToken && S.WorkerId == workerId;

    private async Task FundAsync()
    {
        var job = S.Submission!;
        var receipt = (await ledger.SubmitAsync([JobLedger.Submit(JobId, job, options.Value.MaxAttempts)]))[0];
        var now = time.GetUtcNow();
        if (!receipt.Succeeded)
        {
            Transition(JobStatuses.Rejected, receipt.Status, now);
            state.State = S with { FailureReason = receipt.Status };
            await state.WriteStateAsync();
            await events.PublishAsync(MarketplaceTopics.JobRejected,
                new JobRejectedEvent(JobId.ToString("D") + ":rejected", JobId.ToString("D"), job.CustomerAddress, receipt.Status, now));
            return;
        }

        Transition(JobStatuses.Funded, $"escrow {job.Escrow} locked by tx {receipt.Id} at height {receipt.Height}", now);
        await events.PublishAsync(MarketplaceTopics.JobFunded,
            new JobFundedEvent(JobId.ToString("D") + ":funded", JobId.ToString("D"), job.CustomerAddress, job.Escrow, now));
        Transition(JobStatuses.Queued, null, now);
        await state.WriteStateAsync();
        await EnqueueAsync();
        StartTimer();
    }

    private Task EnqueueAsync()
    {
        var job = S.Submission!;
        return GrainFactory.GetGrain<IJobQueueGrain>(job.Kind)
            .Enqueue(new QueueEntry(JobId, job.MaxPricePerMegaUnit, job.MinMemoryBytes, S.CreatedAt));
    }

    private async Task<VerificationOutcome> VerifyAsync(JobSubmission job, long fencingToken, string workerId)
    {
        var bytes = await results.ReadAsync(JobId, fencingToken, workerId);
        if (bytes is null)
        {
            return VerificationOutcome.Rejected("no result was stored");
        }

        if (!kernels.TryGet(job.Kind, out var kernel))
        {
            return VerificationOutcome.Rejected("unknown kind " + job.Kind);
        }

        var input = job.InputBase64 is null ? [] : Convert.FromBase64String(job.InputBase64);
        // Verification is CPU work (Freivalds, sampled references); run it off the grain scheduler.
        return await Task.Run(() =>
        {
            using var doc = JsonDocument.Parse(job.ParametersJson);
            try
            {
                return kernel.Verify(doc.RootElement, input, bytes, new Random());
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidDataException or FormatException or IndexOutOfRangeException)
            {
                return VerificationOutcome.Rejected("malformed result: " + ex.Message);
            }
        });
    }

    /// <summary>Ends the current lease in the ledger (as its holder); the ledger queues the job again or, with its attempt budget spent, fails and refunds it.</summary>
    private async Task EndAttemptAsync(string reason)
    {
        var receipt = (await ledger.SubmitAsync([JobLedger.Fail(JobId, S.Submission!.CustomerAddress, S.FencingToken, S.WorkerId)]))[0];
        var record = await records.GetJobAsync(JobId.ToString("D"));
        if (record?.Status == "failed")
        {
            await EndAsync(JobStatuses.Failed, reason);
        }
        else if (receipt.Succeeded || record?.Status == "queued")
        {
            await RequeueAsync(reason);
        }
        else
        {
            await ReconcileAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Adopts the ledger's record where it moved past what this grain stored (a crash between the ledger commit and the
    /// grain's write): final outcomes, and a lease the grain never recorded (its timer then ends it once expired).
    /// </summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (S.Submission is null)
        {
            return;
        }

        var record = await records.GetJobAsync(JobId.ToString("D"), cancellationToken);
        if (record is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        switch (record.Status)
        {
            case "settled" when S.Status != JobStatuses.Settled:
                if (S.Status != JobStatuses.Verified)
                {
                    Transition(JobStatuses.Verified, "from the ledger record", now);
                }

                state.State = S with { Price = record.Price, Fee = record.Fee, ProviderAddress = record.Provider, PendingSince = null };
                Transition(JobStatuses.Settled, $"ledger record settled at {record.FinishedAt:O}", now);
                await state.WriteStateAsync();
                break;
            case "failed" or "cancelled" or "expired" when S.Status != JobStatuses.Refunded:
                var ended = record.Status switch { "failed" => JobStatuses.Failed, "cancelled" => JobStatuses.Cancelled, _ => JobStatuses.Expired };
                if (S.Status != ended)
                {
                    Transition(ended, "from the ledger record", now);
                }

                Transition(JobStatuses.Refunded, $"ledger record {record.Status} at {record.FinishedAt:O}", now);
                state.State = S with { PendingSince = null, LeaseExpiresAt = null };
                await state.WriteStateAsync();
                break;
            case "leased" when record.FencingToken > S.FencingToken || S.Status == JobStatuses.Queued:
                Transition(JobStatuses.Leased, $"lease {record.FencingToken} from the ledger record", now);
                state.State = S with { FencingToken = record.FencingToken, LeaseExpiresAt = record.LeaseDeadline, WorkerId = null, ProviderAddress = record.Provider };
                await state.WriteStateAsync();
                break;
            case "queued" or "leased" when S.Status == JobStatuses.Submitted:
                // The escrow was locked, but the grain's write of it was lost.
                Transition(JobStatuses.Funded, "escrow locked (from the ledger record)", now);
                Transition(JobStatuses.Queued, null, now);
                await state.WriteStateAsync();
                await EnqueueAsync();
                break;
            case "queued" when S.Status is JobStatuses.Leased or JobStatuses.Funded:
                state.State = S with { FencingToken = record.FencingToken };
                await RequeueAsync("queued in the ledger record");
                break;
        }
    }

    private async Task ExpireLeaseAsync(string reason)
    {
        if (S.WorkerId is { } workerId)
        {
            await GrainFactory.GetGrain<IWorkerGrain>(workerId).LeaseEnded(JobId.ToString("D"), S.FencingToken, LeaseOutcome.Expired);
        }

        LogLeaseExpired(JobId, S.WorkerId, reason);
        await EndAttemptAsync("lease lost: " + reason);
    }

    private async Task RequeueAsync(string reason)
    {
        if (S.Submission!.Deadline is { } deadline && time.GetUtcNow() >= deadline)
        {
            await EndAsync(JobStatuses.Expired, "deadline passed; " + reason);
            return;
        }

        Transition(JobStatuses.Queued, reason, time.GetUtcNow());
        state.State = S with { WorkerId = null, ProviderAddress = null, LeaseExpiresAt = null, Price = null, Fee = null, ResultDigest = null, ResultToken = null };
        await state.WriteStateAsync();
        await EnqueueAsync();
    }

    /// <summary>Failed, cancelled or expired: nothing is paid, the escrow is refunded through <see cref="MarketplaceTopics.JobEnded"/>.</summary>
    private async Task EndAsync(string status, string reason)
    {
        var wasQueued = S.Status == JobStatuses.Queued;
        var funded = S.Status != JobStatuses.Submitted;
        Transition(status, reason, time.GetUtcNow());
        state.State = S with { FailureReason = reason, LeaseExpiresAt = null, PendingSince = time.GetUtcNow(), Price = null, Fee = null };
        await state.WriteStateAsync();
        if (wasQueued)
        {
            await GrainFactory.GetGrain<IJobQueueGrain>(S.Submission!.Kind).Remove(JobId);
        }

        if (funded)
        {
            await PublishEndedAsync();
        }
        else
        {
            // Nothing was locked; escrow-refund would fail, so the job is final now.
            StopTimer();
        }
    }

    private Task PublishVerifiedAsync()
    {
        var job = S.Submission!;
        return events.PublishAsync(MarketplaceTopics.JobVerified, new JobVerifiedEvent(
            JobId.ToString("D") + ":verified", JobId.ToString("D"), job.CustomerAddress, S.ProviderAddress!, S.WorkerId!,
            S.Price!.Value, S.Fee!.Value, job.WorkUnits, time.GetUtcNow()));
    }

    private Task PublishEndedAsync() =>
        events.PublishAsync(MarketplaceTopics.JobEnded, new JobEndedEvent(
            JobId.ToString("D") + ":ended", JobId.ToString("D"), S.Submission!.CustomerAddress, S.Status, S.FailureReason, time.GetUtcNow()));

    private void Transition(string status, string? detail, DateTimeOffset at) =>
        state.State = S with { Status = status, Transitions = S.History.Add(new JobTransition(status, at, detail)) };

    private void StartTimer()
    {
        _timer ??= this.RegisterGrainTimer(
            TickAsync,
            new GrainTimerCreationOptions
            {
                DueTime = options.Value.JobCheckInterval,
                Period = options.Value.JobCheckInterval,
                KeepAlive = true,
            });
    }

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        switch (S.Status)
        {
            case JobStatuses.Queued when S.Submission!.Deadline is { } deadline && now >= deadline:
                await EndAsync(JobStatuses.Expired, "deadline passed while queued");
                break;
            case JobStatuses.Queued:
                await EnqueueAsync();
                break;
            case JobStatuses.Leased when S.LeaseExpiresAt is { } expires && now >= expires:
                await ExpireLeaseAsync("lease expired");
                break;
            case JobStatuses.Verified when S.PendingSince is { } since && now - since >= o.SettlementRetryInterval:
                state.State = S with { PendingSince = now };
                await PublishVerifiedAsync();
                break;
            case JobStatuses.Cancelled or JobStatuses.Failed or JobStatuses.Expired when S.PendingSince is { } since && now - since >= o.SettlementRetryInterval:
                state.State = S with { PendingSince = now };
                await PublishEndedAsync();
                break;
            default:
                if (S.IsFinal)
                {
                    StopTimer();
                }

                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: result of worker {WorkerId} failed verification: {Reason}")]
    private partial void LogVerificationFailed(Guid jobId, string workerId, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: lease of worker {WorkerId} lost ({Reason})")]
    private partial void LogLeaseExpired(Guid jobId, string? workerId, string reason);
}
