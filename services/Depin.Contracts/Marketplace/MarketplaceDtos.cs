using System.Text.Json;

namespace Depin.Contracts.Marketplace;

/// <summary>
/// Prices are integer micro-credits per 1,000,000 work units ("per mega-unit"). A job's price is
/// ceil(ask × workUnits / 1,000,000); its escrow is ceil(maxPrice × workUnits / 1,000,000).
/// </summary>
public static class Pricing
{
    /// <summary>Work units per price unit.</summary>
    public const long WorkUnitsPerPriceUnit = 1_000_000;

    /// <summary>ceil(pricePerMegaUnit × workUnits / 1,000,000), or null when it does not fit in a long.</summary>
    public static long? Total(long pricePerMegaUnit, long workUnits)
    {
        var total = ((Int128)pricePerMegaUnit * workUnits + (WorkUnitsPerPriceUnit - 1)) / WorkUnitsPerPriceUnit;
        return total > long.MaxValue ? null : (long)total;
    }
}

/// <summary>Job status names as they appear in <see cref="JobView.Status"/>.</summary>
public static class JobStatuses
{
    public const string Submitted = "submitted";
    public const string Funded = "funded";
    public const string Rejected = "rejected";
    public const string Queued = "queued";
    public const string Leased = "leased";
    public const string Completed = "completed";
    public const string Verified = "verified";
    public const string Settled = "settled";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";
    public const string Refunded = "refunded";
}

/// <summary>Registers a provider; <paramref name="Signature"/> is reserved for the EIP-191 wallet proof.</summary>
public sealed record RegisterProviderRequest(string Name, string PayoutAddress, string? Signature = null);

/// <summary>A new provider and its API key (shown once).</summary>
public sealed record ProviderRegistration(string ProviderId, string ApiKey, string PayoutAddress);

/// <summary>A provider, its workers and its earnings (ledger balance of the payout address, micro-credits).</summary>
public sealed record ProviderView(
    string ProviderId,
    string Name,
    string PayoutAddress,
    IReadOnlyList<WorkerView> Workers,
    long Earnings,
    long JobsPaid,
    long Staked = 0,
    long Unbonding = 0,
    long RequiredStake = 0);

/// <summary>Bond (stake) or start unbonding (unstake) <paramref name="Amount"/> micro-credits of the provider's balance.</summary>
public sealed record StakeRequest(long Amount);

/// <summary>
/// Evidence of a slash: the job attempt (its fencing token) whose result failed an objective check, the result's digest,
/// the check's verdict, and the stake taken to the treasury by ledger transaction <paramref name="LedgerTransaction"/>.
/// </summary>
public sealed record SlashView(string JobId, long Attempt, string? ResultDigest, string Check, long Amount, string LedgerTransaction, long LedgerHeight, DateTimeOffset At);

/// <summary>One compute device of a worker.</summary>
public sealed record DeviceInfo(string Name, long MemoryBytes, int ComputeUnits, int BenchmarkScore);

/// <summary>Registers a worker: its devices, the kinds it runs (empty = all), its ask in micro-credits per 1,000,000 work units.</summary>
public sealed record RegisterWorkerRequest(
    string Name,
    IReadOnlyList<DeviceInfo> Devices,
    long AskPricePerMegaUnit,
    IReadOnlyList<string>? Kinds = null);

/// <summary>A worker as the marketplace sees it.</summary>
public sealed record WorkerView(
    string WorkerId,
    string ProviderId,
    string Name,
    IReadOnlyList<DeviceInfo> Devices,
    IReadOnlyList<string> Kinds,
    long AskPricePerMegaUnit,
    string Status,
    DateTimeOffset LastHeartbeat,
    IReadOnlyList<string> ActiveJobs,
    int CompletedJobs,
    int FailedVerifications,
    int ExpiredLeases,
    IReadOnlyList<SlashView>? Slashes = null,
    double Reputation = 1);

/// <summary>
/// A lease request: which device lane asks, how long to wait for work (seconds, 0..20) and, on
/// <c>POST /api/workers/{id}/leases</c>, how many jobs it takes at most (1..16; it waits for the first, not for all).
/// </summary>
public sealed record LeaseRequest(int DeviceIndex = 0, int WaitSeconds = 20, int MaxJobs = 1);

/// <summary>The jobs one lease request took, each with its own fencing token and expiry.</summary>
public sealed record LeaseBatchView(IReadOnlyList<LeaseView> Leases);

/// <summary>A leased job. <paramref name="FencingToken"/> must accompany every heartbeat, result and release of this lease.</summary>
public sealed record LeaseView(
    string JobId,
    string Kind,
    JsonElement Parameters,
    string? InputBase64,
    long FencingToken,
    DateTimeOffset ExpiresAt,
    long WorkUnits,
    long Price,
    string? TraceParent = null);

/// <summary>A lease held by a worker, as sent with heartbeats.</summary>
public sealed record LeaseRef(string JobId, long FencingToken);

/// <summary>A worker heartbeat; extends the listed leases.</summary>
public sealed record HeartbeatRequest(IReadOnlyList<LeaseRef>? Leases = null);

/// <summary>The outcome of a lease extension.</summary>
public sealed record LeaseExtension(string JobId, bool Extended, DateTimeOffset? ExpiresAt);

/// <summary>Heartbeat answer: each lease extended or lost.</summary>
public sealed record HeartbeatResponse(string WorkerId, string Status, IReadOnlyList<LeaseExtension> Leases);

/// <summary>A job result: base64 bytes and their lower-case hex SHA-256.</summary>
public sealed record SubmitResultRequest(long FencingToken, string ResultBase64, string Digest);

/// <summary>The verdict on an uploaded result.</summary>
public sealed record ResultVerdict(string JobId, string Status, bool Accepted, string? Reason);

/// <summary>Several results in one request (<c>POST /api/workers/{id}/results</c>, 1..16), each under its own lease.</summary>
public sealed record SubmitResultsRequest(IReadOnlyList<JobResultUpload> Results);

/// <summary>
/// One job's result in a <see cref="SubmitResultsRequest"/>: base64 bytes and their lower-case hex SHA-256; the lease's
/// <paramref name="TraceParent"/>, when sent, keeps the completion in the job's trace.
/// </summary>
public sealed record JobResultUpload(string JobId, long FencingToken, string ResultBase64, string Digest, string? TraceParent = null);

/// <summary>
/// One job's outcome in a batch upload: <paramref name="Code"/> is the status its own upload would have answered (200
/// with <paramref name="Verdict"/>; 403, 404 or 409 with <paramref name="Problem"/>).
/// </summary>
public sealed record ResultOutcome(string JobId, int Code, ResultVerdict? Verdict, string? Problem);

/// <summary>The outcomes of a batch upload, in request order.</summary>
public sealed record ResultBatchVerdict(IReadOnlyList<ResultOutcome> Results);

/// <summary>Gives a lease back (graceful shutdown, or a run that failed on the worker).</summary>
public sealed record ReleaseLeaseRequest(long FencingToken, string? Reason = null);

/// <summary>Registers a customer.</summary>
public sealed record RegisterCustomerRequest(string Name);

/// <summary>A new customer, its API key (shown once) and its ledger address.</summary>
public sealed record CustomerRegistration(string CustomerId, string ApiKey, string LedgerAddress);

/// <summary>A customer and its ledger balance (micro-credits).</summary>
public sealed record CustomerView(string CustomerId, string Name, string LedgerAddress, long Balance, int Jobs, string? Wallet = null);

/// <summary>Binds the wallet that the customer's withdrawals are paid to: <paramref name="Signature"/> signs the rewards service's challenge for <paramref name="Address"/> (EIP-191).</summary>
public sealed record BindWalletRequest(string? Address, string? Signature);

/// <summary>Withdraw <paramref name="Amount"/> micro-credits to the caller's wallet (a provider's payout wallet, a customer's bound wallet); the same <paramref name="IdempotencyKey"/> gives the same withdrawal.</summary>
public sealed record WithdrawRequest(long Amount, string? IdempotencyKey = null);

/// <summary>Credits an account through the ledger's deposit program (dev faucet / admin). Amount in micro-credits.</summary>
public sealed record FundRequest(long Amount);

/// <summary>Admin deposit to any customer.</summary>
public sealed record AdminDepositRequest(string CustomerId, long Amount);

/// <summary>A ledger balance.</summary>
public sealed record BalanceView(string Address, long Balance);

/// <summary>
/// Submits a job. <paramref name="MaxPricePerMegaUnit"/> is micro-credits per 1,000,000 work units;
/// <paramref name="IdempotencyKey"/> makes re-submission return the same job.
/// </summary>
public sealed record SubmitJobRequest(
    string Kind,
    JsonElement Parameters,
    long MaxPricePerMegaUnit,
    DateTimeOffset? Deadline = null,
    string? IdempotencyKey = null,
    string? InputBase64 = null);

/// <summary>One state change of a job.</summary>
public sealed record JobTransitionView(string Status, DateTimeOffset At, string? Detail);

/// <summary>A job as its customer sees it. Amounts in micro-credits.</summary>
public sealed record JobView(
    string JobId,
    string CustomerId,
    string Kind,
    JsonElement Parameters,
    long WorkUnits,
    long MaxPricePerMegaUnit,
    long Escrow,
    string Status,
    long? Price,
    long? Fee,
    string? WorkerId,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? Deadline,
    string? ResultDigest,
    string? FailureReason,
    IReadOnlyList<JobTransitionView> History,
    string? Waiting = null);

/// <summary>A page of jobs, newest first; pass <paramref name="Next"/> as <c>before</c> for the next page (null on the last).</summary>
public sealed record JobList(IReadOnlyList<JobView> Jobs, int? Next = null);
