using System.Text.Json;
using Depin.Contracts.Events;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Kernels;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Scheduling;
using Depin.Marketplace.Workers;
using Depin.ServiceDefaults.Eventing;
using Depin.ServiceDefaults.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Jobs;

/// <summary>
/// A job and its state machine: submitted → funded (escrow locked) → queued → leased → completed → verified → settled,
/// or rejected at funding, or failed / cancelled / expired → refunded. Key: job UUID. The grain coordinates (it
/// serialises the job's transitions, verifies results, wakes waiting leases); the ledger decides: every transition that
/// matters goes through the ledger's job programs. The grain keeps no state of its own: on activation it rebuilds the job
/// from the ledger (the record, the job's transactions, and the submission its record's hash names in the content store).
/// </summary>
public interface IJobGrain : IGrainWithGuidKey
{
    /// <summary>Creates the job and locks its escrow; idempotent (returns the existing job, marked as such).</summary>
    Task<JobSubmitResult> Submit(JobSubmission submission);

    Task<JobState> Get();

    /// <summary>Leases the job to a worker when it is queued, the price fits and the deadline has not passed; else null.</summary>
    Task<LeaseGrant?> Lease(LeaseOffer offer);

    /// <summary>Extends the current lease; null when the lease is not current.</summary>
    Task<DateTimeOffset?> ExtendLease(string workerId, long fencingToken);

    /// <summary>
    /// Judges an uploaded result (stored under the fencing token) and pays only verified results. <paramref name="result"/>:
    /// the uploaded bytes (their SHA-256 is <paramref name="digest"/>), stored durably once the uploader is found to hold
    /// the lease; null reads stored bytes back.
    /// </summary>
    Task<CompletionResult> Complete(string workerId, long fencingToken, string digest, byte[]? result);

    /// <summary>A worker gives its lease back; the job is requeued without counting a failure.</summary>
    Task<bool> Release(string workerId, long fencingToken, string? reason);

    /// <summary>The worker went offline: a current lease is treated as expired.</summary>
    Task RecoverLease(string workerId, long fencingToken, string reason);

    /// <summary>Cancels a job that has not been verified; false when it is too late.</summary>
    Task<bool> Cancel();
}

/// <inheritdoc cref="IJobGrain"/>
/// <remarks>Activated on the silo whose API took the submission, so that a submission's grain calls stay in process.</remarks>
[Orleans.Placement.PreferLocalPlacement]
public sealed partial class JobGrain(
    ILedgerClient ledger,
    IEventPublisher events,
    IContentStore content,
    ILedgerJobs records,
    JobSpecs specs,
    KernelRegistry kernels,
    IOptions<MarketplaceOptions> options,
    TimeProvider time,
    ILogger<JobGrain> logger)
    : Grain, IJobGrain
{
    private JobState _state = new();
    private IGrainTimer? _timer;
    private bool _loaded;
    private DateTimeOffset _enqueuedAt;

    private Guid JobId => this.GetPrimaryKey();

    private JobState S => _state;

    /// <summary>
    /// Rebuilds the job from the ledger on the activation's first call (not in OnActivateAsync: a submission, which
    /// activates every job's grain, asks the ledger to create the job instead, and reads it only when the ledger answers
    /// that it existed), then resumes its timer and queue entry.
    /// </summary>
    private async ValueTask EnsureLoadedAsync()
    {
        if (_loaded)
        {
            return;
        }

        // Loaded only once the ledger answered: a failed load is tried again on the next call.
        await LoadAsync(CancellationToken.None);
        _loaded = true;
        if (S.Exists && !S.IsFinal)
        {
            StartTimer();
            if (S.Status == JobStatuses.Queued)
            {
                await EnqueueAsync();
            }
        }
    }

    public async Task<JobSubmitResult> Submit(JobSubmission submission)
    {
        if (S.Exists)
        {
            return new JobSubmitResult(S, Existing: true);
        }

        _loaded = true;

        // The submission is stored while the ledger locks the escrow (its record commits to the hash), and the job is
        // answered for and queued only once both are durable. A record whose submission never became durable was
        // never acknowledged: whoever loads it refunds it (LoadAsync).
        var spec = JobSpecs.Encode(submission);
        var stored = specs.PutAsync(spec);
        var now = time.GetUtcNow();
        _state = new JobState(submission, JobStatuses.Submitted, now, [new JobTransition(JobStatuses.Submitted, now, null)]);
        ReceiptDto receipt;
        try
        {
            receipt = (await ledger.SubmitAsync([JobLedger.Submit(JobId, submission, options.Value.MaxAttempts, spec.Hash)]))[0];
        }
        catch
        {
            await stored.ContinueWith(static t => _ = t.Exception, TaskScheduler.Current);
            // Unknown whether the escrow locked (the ledger may have committed and died before answering): this
            // activation forgets the job and goes, so that the next one adopts whatever the ledger holds (the open-jobs
            // sweep wakes it within seconds) rather than a state the ledger may never have seen.
            _state = new JobState();
            DeactivateOnIdle();
            throw;
        }

        try
        {
            await stored;
        }
        catch when (receipt.Repeated)
        {
            // An earlier submission with this key made the record: its stored submission is the one that counts.
        }
        catch
        {
            _state = new JobState();
            DeactivateOnIdle();
            if (receipt.Succeeded)
            {
                // Locked, but its submission is not stored: the escrow goes back before the refusal (if the ledger cannot
                // take the refund now, the open-jobs sweep loads the record, finds no submission and refunds it then).
                await ledger.SubmitAsync([JobLedger.Cancel(JobId, submission.CustomerAddress)]);
            }

            throw;
        }

        if (receipt.Repeated && receipt.Succeeded)
        {
            // The job existed before this submission (an idempotency key used again): the ledger's job, not this one.
            _state = new JobState();
            _loaded = false;
            await EnsureLoadedAsync();
            return new JobSubmitResult(S, Existing: true);
        }

        now = time.GetUtcNow();
        if (!receipt.Succeeded)
        {
            Transition(JobStatuses.Rejected, receipt.Status, now);
            _state = S with { FailureReason = receipt.Status };
            Announce(MarketplaceTopics.JobRejected,
                new JobRejectedEvent(JobId.ToString("D") + ":rejected", JobId.ToString("D"), submission.CustomerAddress, receipt.Status, now));
            return new JobSubmitResult(S, Existing: false);
        }

        // Funded on the ledger: the job runs whatever happens next, so it is queued before anything is announced.
        Transition(JobStatuses.Funded, JobReplay.Details.Funded(submission.Escrow, receipt.Id, receipt.Height), now);
        Transition(JobStatuses.Queued, null, now);
        await EnqueueAsync();
        StartTimer();
        Announce(MarketplaceTopics.JobFunded,
            new JobFundedEvent(JobId.ToString("D") + ":funded", JobId.ToString("D"), submission.CustomerAddress, submission.Escrow, now));
        return new JobSubmitResult(S, Existing: false);
    }

    public async Task<JobState> Get()
    {
        await EnsureLoadedAsync();
        return S;
    }

    public async Task<LeaseGrant?> Lease(LeaseOffer offer)
    {
        await EnsureLoadedAsync();
        var now = time.GetUtcNow();
        if (S.Status != JobStatuses.Queued || S.Submission is not { } job)
        {
            return null;
        }

        if (job.Deadline is { } deadline && now >= deadline)
        {
            await ExpireAsync();
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
        var leased = (await ledger.SubmitAsync([JobLedger.Lease(JobId, token, offer.WorkerId, offer.ProviderAddress, expires, price, fee)]))[0];
        if (!leased.Succeeded)
        {
            // The ledger's record moved on (deadline, budget, a lease this activation did not see): follow it.
            await RefreshAsync();
            return null;
        }

        Transition(JobStatuses.Leased, JobReplay.Details.Leased(offer.WorkerId, token, price), now);
        _state = S with
        {
            Attempts = S.Attempts + 1,
            FencingToken = token,
            WorkerId = offer.WorkerId,
            ProviderAddress = offer.ProviderAddress,
            LeaseExpiresAt = expires,
            Price = price,
            Fee = fee,
        };
        return new LeaseGrant(JobId, job.Kind, job.ParametersJson, job.InputBase64, token, expires, job.WorkUnits, price, job.TraceParent);
    }

    public async Task<DateTimeOffset?> ExtendLease(string workerId, long fencingToken)
    {
        await EnsureLoadedAsync();
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

        _state = S with { LeaseExpiresAt = expires };
        return expires;
    }

    public async Task<CompletionResult> Complete(string workerId, long fencingToken, string digest, byte[]? result)
    {
        await EnsureLoadedAsync();
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

        // Durable before the completion names it, and only for the lease's holder; stored by its SHA-256, so no upload can
        // replace another's bytes.
        if (result is not null)
        {
            await content.PutAsync(result);
        }

        var completed = (await ledger.SubmitAsync([JobLedger.Complete(JobId, fencingToken, workerId, digest)]))[0];
        if (!completed.Succeeded)
        {
            return new CompletionResult(CompletionStatus.Stale, S.Status, "the ledger refused the completion: " + completed.Status);
        }

        Transition(JobStatuses.Completed, JobReplay.Details.Completed(digest), time.GetUtcNow());
        _state = S with { ResultDigest = digest, ResultToken = fencingToken, LeaseExpiresAt = null };
        ServiceDefaults.Testing.FaultPoints.Reached(ServiceDefaults.Testing.FaultPoints.JobCompleted);
        return await JudgeAsync(result);
    }

    public async Task<bool> Release(string workerId, long fencingToken, string? reason)
    {
        await EnsureLoadedAsync();
        if (!HoldsLease(workerId, fencingToken))
        {
            return false;
        }

        var released = (await ledger.SubmitAsync([JobLedger.Release(JobId, fencingToken, workerId)]))[0];
        if (!released.Succeeded)
        {
            // The lease ran out first (or the ledger moved on): the sweeper ends it as an expired attempt.
            await RefreshAsync();
            return false;
        }

        await GrainFactory.GetGrain<IWorkerGrain>(workerId).LeaseEnded(JobId.ToString("D"), fencingToken, LeaseOutcome.Released);
        _state = S with { Attempts = S.Attempts - 1 };
        await RequeueAsync(JobReplay.Details.Ended(AttemptEnd.Released) + (reason is null ? "" : ": " + reason));
        return true;
    }

    public async Task RecoverLease(string workerId, long fencingToken, string reason)
    {
        await EnsureLoadedAsync();
        if (HoldsLease(workerId, fencingToken))
        {
            await ExpireLeaseAsync(reason);
        }
    }

    public async Task<bool> Cancel()
    {
        await EnsureLoadedAsync();
        switch (S.Status)
        {
            case JobStatuses.Queued or JobStatuses.Leased:
                var customer = S.Submission!.CustomerAddress;
                var steps = new List<LedgerTransactionDto>(2);
                if (S.Status == JobStatuses.Leased && S.WorkerId is { } workerId)
                {
                    await GrainFactory.GetGrain<IWorkerGrain>(workerId).LeaseEnded(JobId.ToString("D"), S.FencingToken, LeaseOutcome.Cancelled);
                    // The lease ends first (as its holder), so that the queued job can be cancelled: one batch, in this order.
                    steps.Add(JobLedger.Fail(JobId, customer, S.FencingToken, workerId, AttemptEnd.CancelledByCustomer));
                }

                // Refunded in the ledger before the customer hears "cancelled": the answer survives any crash after it.
                steps.Add(JobLedger.Cancel(JobId, customer));
                var receipt = (await ledger.SubmitAsync(steps))[^1];
                if (!receipt.Succeeded)
                {
                    await RefreshAsync();
                    return S.FailureReason == JobReplay.Details.CancelledByCustomer;
                }

                await RemoveFromQueueAsync();
                Transition(JobStatuses.Cancelled, JobReplay.Details.CancelledByCustomer, time.GetUtcNow());
                _state = S with { FailureReason = JobReplay.Details.CancelledByCustomer, LeaseExpiresAt = null, Price = null, Fee = null };
                await RefundedAsync(receipt.Id, receipt.Height);
                return true;
            case JobStatuses.Cancelled or JobStatuses.Refunded when S.FailureReason == JobReplay.Details.CancelledByCustomer:
                return true;
            default:
                return false;
        }
    }

    private bool HoldsLease(string workerId, long fencingToken) =>
        S.Status == JobStatuses.Leased && S.FencingToken == fencingToken && S.WorkerId == workerId;

    /// <summary>The job as the ledger has it; nothing when the ledger never saw it.</summary>
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var history = await records.GetJobHistoryAsync(JobId.ToString("D"), cancellationToken);
        if (history is null || history.Events.Count == 0)
        {
            return;
        }

        var hash = history.Record?.ParamsHash ?? history.Events.FirstOrDefault(e => e.Program == "job-submit")?.Digest;
        var submission = hash is null ? null : await specs.GetAsync(hash, cancellationToken);
        if (submission is null)
        {
            LogSubmissionMissing(JobId, hash);
            if (history.Record is { Status: "queued", Attempt: 0, FencingToken: 0 } record
                && time.GetUtcNow() - record.CreatedAt >= options.Value.UnstoredSubmissionGrace)
            {
                // Locked while its submission was being stored, which never became durable (the process died, the
                // store failed): never acknowledged and never leased, so its escrow goes back. A failed refund throws,
                // and the next call (the open-jobs sweep's) tries again.
                await ledger.SubmitAsync([JobLedger.Cancel(JobId, record.Customer)], cancellationToken);
                LogUnstoredSubmissionRefunded(JobId);
            }

            // Nothing to hold: a later call activates afresh and reads the ledger again.
            DeactivateOnIdle();
            return;
        }

        _state = JobReplay.FromLedger(submission, history);
    }

    /// <summary>Follows the ledger after it refused a step: reloads, then queues or stops as the record says.</summary>
    private async Task RefreshAsync()
    {
        var wasQueued = S.Status == JobStatuses.Queued;
        await LoadAsync(CancellationToken.None);
        if (S.Status == JobStatuses.Queued)
        {
            await EnqueueAsync();
        }
        else if (wasQueued)
        {
            await RemoveFromQueueAsync();
        }

        if (S.IsFinal)
        {
            StopTimer();
        }
    }

    private Task EnqueueAsync()
    {
        _enqueuedAt = time.GetUtcNow();
        var job = S.Submission!;
        return GrainFactory.GetGrain<IJobQueueGrain>(job.Kind)
            .Enqueue(new QueueEntry(JobId, job.MaxPricePerMegaUnit, job.MinMemoryBytes, S.CreatedAt));
    }

    private Task RemoveFromQueueAsync() => GrainFactory.GetGrain<IJobQueueGrain>(S.Submission!.Kind).Remove(JobId);

    /// <summary>
    /// Verifies the completed attempt's stored result (<paramref name="given"/>: its bytes as uploaded, when the caller has
    /// them): a verified job is published for settlement, a rejected one ends its attempt.
    /// </summary>
    private async Task<CompletionResult> JudgeAsync(byte[]? given = null)
    {
        var token = S.ResultToken!.Value;
        var workerId = S.WorkerId;
        var outcome = workerId is null ? VerificationOutcome.Rejected("the leaseholder is unknown") : await VerifyAsync(S.Submission!, S.ResultDigest, given);
        var worker = workerId is null ? null : GrainFactory.GetGrain<IWorkerGrain>(workerId);
        if (S.Submission!.KnownAnswerDigest is not null)
        {
            Infrastructure.MarketplaceMetrics.CanaryJudged(S.Submission.Kind, outcome.Ok);
            await GrainFactory.GetGrain<Canaries.ICanaryGrain>(Canaries.CanaryGrain.Key)
                .Judged(new Canaries.CanaryJudgement(JobId, S.Submission.Kind, workerId, token, outcome.Ok, outcome.Reason, time.GetUtcNow(), S.Submission.CustomerId));
        }

        if (outcome.Ok)
        {
            Transition(JobStatuses.Verified, null, time.GetUtcNow());
            _state = S with { PendingSince = time.GetUtcNow() };
            if (worker is not null)
            {
                await worker.LeaseEnded(JobId.ToString("D"), token, LeaseOutcome.Verified);
            }

            Announce(MarketplaceTopics.JobVerified, VerifiedEvent());
            await SettleAsync();
            return new CompletionResult(CompletionStatus.Accepted, JobStatuses.Verified, null);
        }

        LogVerificationFailed(JobId, workerId, outcome.Reason);
        Infrastructure.MarketplaceMetrics.VerificationFailed(S.Submission!.Kind);
        await events.PublishAsync(WorkerActivityTopics.VerificationFailed, new VerificationFailedEvent(
            $"{JobId:D}:failed:{token}", JobId.ToString("D"), workerId ?? "", S.ProviderAddress ?? "", outcome.Reason ?? "verification failed", time.GetUtcNow()));
        if (worker is not null)
        {
            await worker.LeaseEnded(JobId.ToString("D"), token, LeaseOutcome.VerificationFailed);
            await SlashAsync(worker, token, outcome.Reason ?? "verification failed");
        }

        await EndAttemptAsync(AttemptEnd.VerificationFailed, outcome.Reason);
        return new CompletionResult(CompletionStatus.Rejected, S.Status, outcome.Reason);
    }

    /// <summary>
    /// Takes <see cref="MarketplaceOptions.SlashBasisPoints"/> of the provider's stake (bonded, then unbonding) to the
    /// treasury for a result that failed an objective check, under an id derived from the job and the attempt's fencing
    /// token, so a judgement repeated after a crash slashes once; the worker keeps the evidence.
    /// </summary>
    private async Task SlashAsync(IWorkerGrain worker, long token, string check)
    {
        var basisPoints = options.Value.SlashBasisPoints;
        if (basisPoints <= 0 || S.ProviderAddress is not { } provider)
        {
            return;
        }

        var account = await ledger.GetAccountAsync(provider);
        var amount = (long)((Int128)(account.Staked + account.Unbonding) * basisPoints / 10_000);
        if (amount <= 0)
        {
            return;
        }

        var receipt = (await ledger.SubmitAsync([new LedgerTransactionDto(LedgerIds.Slash(JobId, token), "slash", From: provider, Amount: amount)]))[0];
        if (receipt.Succeeded)
        {
            LogSlashed(JobId, provider, amount, check);
            await worker.RecordSlash(new SlashRecord(JobId.ToString("D"), token, S.ResultDigest, check, amount, receipt.Id, receipt.Height, time.GetUtcNow()));
        }
    }

    private async Task<VerificationOutcome> VerifyAsync(JobSubmission job, string? digest, byte[]? given)
    {
        var bytes = given ?? (digest is null ? null : await content.GetAsync(digest));
        if (bytes is null)
        {
            return VerificationOutcome.Rejected("no result was stored");
        }

        if (!kernels.TryGet(job.Kind, out var kernel))
        {
            return VerificationOutcome.Rejected("unknown kind " + job.Kind);
        }

        var input = job.InputBase64 is null ? [] : Convert.FromBase64String(job.InputBase64);
        // A canary's result is also compared whole with its known answer (identical bytes need no comparison).
        var expected = job.KnownAnswerDigest is { } known && known != digest ? await content.GetAsync(known) : null;
        // Verification is CPU work (Freivalds, sampled references); run it off the grain scheduler.
        return await Task.Run(() =>
        {
            using var doc = JsonDocument.Parse(job.ParametersJson);
            try
            {
                var outcome = kernel.Verify(doc.RootElement, input, bytes, new Random());
                return outcome.Ok && expected is not null ? kernel.MatchKnownAnswer(doc.RootElement, expected, bytes) : outcome;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidDataException or FormatException or IndexOutOfRangeException)
            {
                return VerificationOutcome.Rejected("malformed result: " + ex.Message);
            }
        });
    }

    /// <summary>Ends the current attempt in the ledger (as its holder); the ledger queues the job again or, with its attempt budget spent, fails and refunds it.</summary>
    private async Task EndAttemptAsync(AttemptEnd why, string? detail)
    {
        var reason = JobReplay.Details.Ended(why) + (detail is null ? "" : ": " + detail);
        var receipt = (await ledger.SubmitAsync([JobLedger.Fail(JobId, S.Submission!.CustomerAddress, S.FencingToken, S.WorkerId, why)]))[0];
        var record = await records.GetJobAsync(JobId.ToString("D"));
        var now = time.GetUtcNow();
        if (record?.Status == "failed")
        {
            Transition(JobStatuses.Failed, reason, now);
            _state = S with { FailureReason = reason, LeaseExpiresAt = null, Price = null, Fee = null };
            await RefundedAsync(receipt.Id, receipt.Height);
        }
        else if (record?.Status == "queued")
        {
            await RequeueAsync(reason);
        }
        else
        {
            await RefreshAsync();
        }
    }

    private async Task ExpireLeaseAsync(string reason)
    {
        if (S.WorkerId is { } workerId)
        {
            await GrainFactory.GetGrain<IWorkerGrain>(workerId).LeaseEnded(JobId.ToString("D"), S.FencingToken, LeaseOutcome.Expired);
        }

        LogLeaseExpired(JobId, S.WorkerId, reason);
        await EndAttemptAsync(AttemptEnd.LeaseLost, reason);
    }

    private async Task RequeueAsync(string reason)
    {
        if (S.Submission!.Deadline is { } deadline && time.GetUtcNow() >= deadline)
        {
            await ExpireAsync();
            return;
        }

        Transition(JobStatuses.Queued, reason, time.GetUtcNow());
        _state = S with { WorkerId = null, ProviderAddress = null, LeaseExpiresAt = null, Price = null, Fee = null, ResultDigest = null, ResultToken = null };
        await EnqueueAsync();
    }

    /// <summary>Past its deadline: the ledger refunds the escrow (job-expire; its clock decides, so an early try is retried by the timer).</summary>
    private async Task ExpireAsync()
    {
        var receipt = (await ledger.SubmitAsync([JobLedger.Expire(JobId, S.Submission!.CustomerAddress)]))[0];
        if (!receipt.Succeeded)
        {
            await RefreshAsync();
            return;
        }

        if (S.Status == JobStatuses.Queued)
        {
            await RemoveFromQueueAsync();
        }

        Transition(JobStatuses.Expired, JobReplay.Details.DeadlinePassed, time.GetUtcNow());
        _state = S with { FailureReason = JobReplay.Details.DeadlinePassed, LeaseExpiresAt = null, Price = null, Fee = null };
        await RefundedAsync(receipt.Id, receipt.Height);
    }

    /// <summary>The ledger refunded the escrow (in the same transaction that ended the job): final, and announced.</summary>
    private async Task RefundedAsync(string transactionId, long height)
    {
        var now = time.GetUtcNow();
        var ended = new JobEndedEvent(JobId.ToString("D") + ":ended", JobId.ToString("D"), S.Submission!.CustomerAddress, S.Status, S.FailureReason, now);
        Transition(JobStatuses.Refunded, JobReplay.Details.Ledger(transactionId, height), now);
        _state = S with { RefundTxId = transactionId, PendingSince = null };
        StopTimer();
        Announce(MarketplaceTopics.JobEnded, ended);
        Announce(MarketplaceTopics.JobRefunded,
            new JobRefundedEvent(JobId.ToString("D") + ":refunded", JobId.ToString("D"), transactionId, height, now));
    }

    private JobVerifiedEvent VerifiedEvent()
    {
        var job = S.Submission!;
        return new JobVerifiedEvent(
            JobId.ToString("D") + ":verified", JobId.ToString("D"), job.CustomerAddress, S.ProviderAddress!, S.WorkerId!,
            S.Price!.Value, S.Fee!.Value, job.WorkUnits, time.GetUtcNow());
    }

    /// <summary>
    /// Pays a verified job with one job-settle at the price its lease agreed (the provider's payout wallet gets the price
    /// less the fee, the treasury the fee, the customer the rest of the escrow), under an id derived from the job, so that
    /// a settlement repeated after a crash returns the first receipt and never pays twice. A ledger that cannot be reached
    /// or refuses leaves the job verified; its timer tries again every <see cref="MarketplaceOptions.SettlementRetryInterval"/>.
    /// </summary>
    private async Task SettleAsync()
    {
        var tx = JobLedger.Settle(JobId, S.Submission!.CustomerAddress, S.ProviderAddress!, S.Price!.Value, S.Fee!.Value);
        ReceiptDto receipt;
        try
        {
            receipt = (await ledger.SubmitAsync([tx]))[0];
        }
        catch (Exception ex)
        {
            // Unreachable, timed out or failed: the job stays verified and its timer submits the same id again.
            LogSettlementDeferred(JobId, ex.Message);
            return;
        }

        if (!receipt.Succeeded)
        {
            LogSettlementFailed(JobId, receipt.Status);
            return;
        }

        var now = time.GetUtcNow();
        Transition(JobStatuses.Settled, JobReplay.Details.Ledger(receipt.Id, receipt.Height), now);
        _state = S with { SettlementTxId = receipt.Id, PendingSince = null };
        StopTimer();
        Announce(MarketplaceTopics.JobSettled,
            new JobSettledEvent(JobId.ToString("D") + ":settled", JobId.ToString("D"), receipt.Id, receipt.Height, now));
    }

    private void Transition(string status, string? detail, DateTimeOffset at)
    {
        if (status == JobStatuses.Leased && S.History.LastOrDefault(t => t.Status == JobStatuses.Queued) is { } queued)
        {
            Infrastructure.MarketplaceMetrics.Leased(at - queued.At);
        }

        if (status is JobStatuses.Settled or JobStatuses.Refunded && S.Submission is { } job)
        {
            Infrastructure.MarketplaceMetrics.Reconciled(status, job.Escrow);
        }

        _state = S with { Status = status, Transitions = S.History.Add(new JobTransition(status, at, detail)) };
        Infrastructure.MarketplaceMetrics.JobEntered(status);
    }

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
            case JobStatuses.Queued or JobStatuses.Leased when S.Submission!.Deadline is { } deadline && now >= deadline:
                await ExpireAsync();
                break;
            case JobStatuses.Queued when now - _enqueuedAt >= o.QueueRefreshInterval:
                await EnqueueAsync();
                break;
            case JobStatuses.Leased when S.LeaseExpiresAt is { } expires && now >= expires:
                await ExpireLeaseAsync("lease expired");
                break;
            case JobStatuses.Completed when S.ResultToken is not null:
                // Completed in the ledger but not judged in this activation (a restart came between): judge it now.
                await JudgeAsync();
                break;
            case JobStatuses.Verified when S.PendingSince is { } since && now - since >= o.SettlementRetryInterval:
                _state = S with { PendingSince = now };
                await SettleAsync();
                break;
            default:
                if (S.IsFinal)
                {
                    StopTimer();
                }

                break;
        }
    }

    /// <summary>
    /// Announces what the ledger already holds, without waiting for the broker: neither the job's state nor the caller's
    /// answer waits on Redis (a publish took 3–11 ms of a submission under load), and an event that cannot be published
    /// (Redis down) is logged and left out; nothing the ledger committed is undone or held back. The publish starts here,
    /// in the caller's trace.
    /// </summary>
    private void Announce<TEvent>(string topic, TEvent e)
        where TEvent : class
    {
        var jobId = JobId;
        _ = Publish();

        async Task Publish()
        {
            try
            {
                await events.PublishAsync(topic, e);
            }
            catch (Exception ex)
            {
                LogAnnounceFailed(jobId, topic, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: {Topic} not published ({Reason}); the ledger has what it announces")]
    private partial void LogAnnounceFailed(Guid jobId, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: settlement not submitted ({Reason}); retried by the job's timer")]
    private partial void LogSettlementDeferred(Guid jobId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the ledger refused its settlement: {Status}; left verified and retried")]
    private partial void LogSettlementFailed(Guid jobId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: result of worker {WorkerId} failed verification: {Reason}")]
    private partial void LogVerificationFailed(Guid jobId, string? workerId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: provider {Provider} slashed {Amount} micro-credits of stake ({Check})")]
    private partial void LogSlashed(Guid jobId, string provider, long amount, string check);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: lease of worker {WorkerId} lost ({Reason})")]
    private partial void LogLeaseExpired(Guid jobId, string? workerId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the ledger has it, but its submission {Hash} is not in the content store")]
    private partial void LogSubmissionMissing(Guid jobId, string? hash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: its submission was never stored, so its escrow was refunded")]
    private partial void LogUnstoredSubmissionRefunded(Guid jobId);
}
