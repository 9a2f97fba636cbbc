using System.Security.Cryptography;
using System.Text;
using Depin.Contracts.Ledger;
using Depin.Marketplace.Infrastructure;

namespace Depin.Marketplace.Jobs;

/// <summary>
/// The ledger's job programs as the marketplace submits them. Each transaction id derives from the job and the step
/// (and the fencing token where a step repeats per lease), so a retried step returns the original receipt and never
/// moves money twice. The ledger checks that each transition is legal; the claims behind it (this worker holds the
/// lease, this result verified) are the marketplace's, made here.
/// </summary>
internal static class JobLedger
{
    private static readonly Dictionary<string, int> Kinds = new(StringComparer.Ordinal)
    {
        [Depin.Kernels.MatMul.MatMulKernel.KindName] = 1,
        [Depin.Kernels.Mandelbrot.MandelbrotKernel.KindName] = 2,
        [Depin.Kernels.MonteCarlo.MonteCarloKernel.KindName] = 3,
        [Depin.Kernels.ProofOfWork.PowKernel.KindName] = 4,
    };

    /// <summary>Creates the record and locks the escrow; <paramref name="specHash"/> is the stored submission's SHA-256 (<see cref="JobSpecs"/>).</summary>
    public static LedgerTransactionDto Submit(Guid job, JobSubmission s, int maxAttempts, string specHash) => new(
        LedgerIds.Escrow(job), "job-submit", From: s.CustomerAddress, Amount: s.Escrow, Job: Id(job),
        Digest: specHash, Until: s.Deadline!.Value.ToUnixTimeMilliseconds(), WorkUnits: s.WorkUnits,
        Kind: Kinds.GetValueOrDefault(s.Kind), MaxAttempts: Math.Clamp(maxAttempts, 1, 255));

    /// <summary>Leases the job at an agreed price and fee, which its settlement must pay.</summary>
    public static LedgerTransactionDto Lease(Guid job, long token, string workerId, string provider, DateTimeOffset until, long price, long fee) => new(
        LedgerIds.Derive($"lease:{job:D}:{token}"), "job-lease", To: provider, Amount: price, Fee: fee, Job: Id(job), Worker: WorkerUuid(workerId), Until: until.ToUnixTimeMilliseconds());

    public static LedgerTransactionDto Extend(Guid job, long token, string workerId, DateTimeOffset until) => new(
        LedgerIds.Derive($"extend:{job:D}:{token}:{until.ToUnixTimeMilliseconds()}"), "job-extend", Job: Id(job), Worker: WorkerUuid(workerId), Token: token, Until: until.ToUnixTimeMilliseconds());

    public static LedgerTransactionDto Complete(Guid job, long token, string workerId, string digest) => new(
        LedgerIds.Derive($"complete:{job:D}:{token}"), "job-complete", Job: Id(job), Worker: WorkerUuid(workerId), Token: token, Digest: Digest(digest));

    public static LedgerTransactionDto Settle(Guid job, string customer, string provider, long price, long fee) => new(
        LedgerIds.Settle(job), "job-settle", From: customer, To: provider, Amount: price, Fee: fee, Job: Id(job));

    /// <summary>Ends attempt <paramref name="token"/>: as its leaseholder when the worker is known, else as anyone once the lease expired.</summary>
    public static LedgerTransactionDto Fail(Guid job, string customer, long token, string? workerId, AttemptEnd reason) => new(
        LedgerIds.Derive($"fail:{job:D}:{token}"), "job-fail", From: customer, Job: Id(job), Worker: workerId is null ? null : WorkerUuid(workerId), Token: token, Kind: (int)reason);

    /// <summary>The leaseholder gives attempt <paramref name="token"/> back: queued again without spending the attempt budget.</summary>
    public static LedgerTransactionDto Release(Guid job, long token, string workerId) => new(
        LedgerIds.Derive($"release:{job:D}:{token}"), "job-release", Job: Id(job), Worker: WorkerUuid(workerId), Token: token);

    public static LedgerTransactionDto Cancel(Guid job, string customer) => new(LedgerIds.Refund(job), "job-cancel", From: customer, Job: Id(job));

    public static LedgerTransactionDto Expire(Guid job, string customer) => new(LedgerIds.Derive($"expire:{job:D}"), "job-expire", From: customer, Job: Id(job));

    /// <summary>A worker id ("wrk_" + 32 hex digits) as the ledger's 16-byte worker id.</summary>
    public static string WorkerUuid(string workerId) =>
        workerId.StartsWith("wrk_", StringComparison.Ordinal) && Guid.TryParseExact(workerId.AsSpan(4), "N", out var id)
            ? id.ToString("D")
            : LedgerIds.Derive("worker:" + workerId);

    /// <summary>The worker id behind a ledger worker UUID (the inverse of <see cref="WorkerUuid"/> for "wrk_" ids).</summary>
    public static string? WorkerIdOf(string? uuid) => Guid.TryParse(uuid, out var id) ? "wrk_" + id.ToString("N") : null;

    private static string Id(Guid job) => job.ToString("D");

    private static string Digest(string digest) =>
        ServiceDefaults.Storage.ContentStore.IsHash(digest)
            ? digest
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(digest)));
}

/// <summary>Why an attempt ended, as its job-fail transaction records it (the reason code in the ledger's history).</summary>
public enum AttemptEnd : byte
{
    LeaseLost = 0,
    Released = 1,
    VerificationFailed = 2,
    CancelledByCustomer = 3,
}
