using System.Collections.Immutable;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;

namespace Depin.Marketplace.Jobs;

/// <summary>
/// Rebuilds a job's state from the ledger alone: its stored submission (found by the record's parameters hash) and the
/// job's transactions in commit order. The job grain starts from this on every activation; the details it writes while
/// running use the same wording (<see cref="Details"/>), so a job reads the same before and after a restart.
/// </summary>
public static class JobReplay
{
    public static JobState FromLedger(JobSubmission submission, JobHistoryDto history)
    {
        var created = history.Record?.CreatedAt ?? history.Events[0].At;
        var transitions = ImmutableList.CreateBuilder<JobTransition>();
        transitions.Add(new JobTransition(JobStatuses.Submitted, created, null));
        var s = new JobState(submission, JobStatuses.Submitted, created);
        var succeeded = history.Events.Where(e => e.Succeeded).ToList();
        if (succeeded.Count == 0)
        {
            var refused = history.Events.FirstOrDefault(e => e.Program == "job-submit");
            transitions.Add(new JobTransition(JobStatuses.Rejected, refused?.At ?? created, refused?.Status));
            return s with { Status = JobStatuses.Rejected, FailureReason = refused?.Status, Transitions = transitions.ToImmutable() };
        }

        var lastFail = history.Record?.Status == "failed" ? succeeded.FindLastIndex(e => e.Program == "job-fail") : -1;
        for (var i = 0; i < succeeded.Count; i++)
        {
            var e = succeeded[i];
            void To(string status, string? detail) => transitions.Add(new JobTransition(status, e.At, detail));
            void End(string status, string reason)
            {
                To(status, reason);
                To(JobStatuses.Refunded, Details.Ledger(e.Transaction, e.Height));
                s = s with { FailureReason = reason, RefundTxId = e.Transaction, Price = null, Fee = null, LeaseExpiresAt = null };
            }

            switch (e.Program)
            {
                case "job-submit":
                    To(JobStatuses.Funded, Details.Funded(submission.Escrow, e.Transaction, e.Height));
                    To(JobStatuses.Queued, null);
                    break;
                case "job-lease":
                    var worker = JobLedger.WorkerIdOf(e.Worker);
                    s = s with
                    {
                        Attempts = s.Attempts + 1,
                        FencingToken = s.FencingToken + 1,
                        WorkerId = worker,
                        ProviderAddress = e.Account,
                        LeaseExpiresAt = e.Until,
                        Price = e.Amount,
                        Fee = e.Fee,
                    };
                    To(JobStatuses.Leased, Details.Leased(worker, s.FencingToken, e.Amount));
                    break;
                case "job-extend":
                    s = s with { LeaseExpiresAt = e.Until };
                    break;
                case "job-complete":
                    s = s with { ResultDigest = Hex(e.Digest), ResultToken = e.Token, LeaseExpiresAt = null };
                    To(JobStatuses.Completed, Details.Completed(Hex(e.Digest)));
                    break;
                case "job-fail" when i == lastFail:
                    End(JobStatuses.Failed, Details.Ended((AttemptEnd)e.Code));
                    break;
                case "job-fail":
                    To(JobStatuses.Queued, Details.Ended((AttemptEnd)e.Code));
                    s = s with { WorkerId = null, ProviderAddress = null, LeaseExpiresAt = null, Price = null, Fee = null, ResultDigest = null, ResultToken = null };
                    break;
                case "job-release":
                    To(JobStatuses.Queued, Details.Ended(AttemptEnd.Released));
                    s = s with { Attempts = s.Attempts - 1, WorkerId = null, ProviderAddress = null, LeaseExpiresAt = null, Price = null, Fee = null };
                    break;
                case "job-settle":
                    To(JobStatuses.Verified, null);
                    To(JobStatuses.Settled, Details.Ledger(e.Transaction, e.Height));
                    s = s with { Price = e.Amount, Fee = e.Fee, SettlementTxId = e.Transaction };
                    break;
                case "job-cancel":
                    End(JobStatuses.Cancelled, Details.CancelledByCustomer);
                    break;
                case "job-expire":
                    End(JobStatuses.Expired, Details.DeadlinePassed);
                    break;
            }
        }

        var list = transitions.ToImmutable();
        return s with { Status = list[^1].Status, Transitions = list };
    }

    /// <summary>A ledger digest ("0x" + 64 hex digits) as the marketplace writes digests: bare lower-case hex.</summary>
    public static string? Hex(string? digest) => digest is not null && digest.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? digest[2..] : digest;

    /// <summary>The wording of transition details, shared by the running grain and the replay.</summary>
    public static class Details
    {
        public const string CancelledByCustomer = "cancelled by customer";

        public const string DeadlinePassed = "deadline passed";

        public static string Funded(long escrow, string tx, long height) => $"escrow {escrow} locked by tx {tx} at height {height}";

        public static string Leased(string? worker, long token, long price) => $"worker {worker}, token {token}, price {price}";

        public static string Completed(string? digest) => $"digest {digest}";

        public static string Ledger(string tx, long height) => $"ledger tx {tx} at height {height}";

        public static string Ended(AttemptEnd reason) => reason switch
        {
            AttemptEnd.Released => "released by worker",
            AttemptEnd.VerificationFailed => "verification failed",
            AttemptEnd.CancelledByCustomer => CancelledByCustomer,
            _ => "lease lost",
        };
    }
}
