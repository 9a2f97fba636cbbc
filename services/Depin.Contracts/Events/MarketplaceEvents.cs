namespace Depin.Contracts.Events;

/// <summary>Marketplace topic names (component <see cref="PubSub.Name"/>).</summary>
public static class MarketplaceTopics
{
    /// <summary>Escrow locked; the job is queued. <see cref="JobFundedEvent"/>.</summary>
    public const string JobFunded = "marketplace.job-funded";

    /// <summary>Escrow could not be locked; nothing was locked. <see cref="JobRejectedEvent"/>.</summary>
    public const string JobRejected = "marketplace.job-rejected";

    /// <summary>A result passed verification (the job's grain settles it on the ledger). <see cref="JobVerifiedEvent"/>.</summary>
    public const string JobVerified = "marketplace.job-verified";

    /// <summary>A job failed, was cancelled or expired (its escrow already refunded by the same ledger transaction). <see cref="JobEndedEvent"/>.</summary>
    public const string JobEnded = "marketplace.job-ended";

    /// <summary>Settlement committed in the ledger. <see cref="JobSettledEvent"/>.</summary>
    public const string JobSettled = "marketplace.job-settled";

    /// <summary>Escrow refunded in the ledger. <see cref="JobRefundedEvent"/>.</summary>
    public const string JobRefunded = "marketplace.job-refunded";
}

/// <summary>Escrow of <paramref name="Escrow"/> micro-credits locked for a job.</summary>
public sealed record JobFundedEvent(string EventId, string JobId, string CustomerAddress, long Escrow, DateTimeOffset At);

/// <summary>A job was rejected at funding (ledger status, e.g. insufficient-funds).</summary>
public sealed record JobRejectedEvent(string EventId, string JobId, string CustomerAddress, string Reason, DateTimeOffset At);

/// <summary>A verified result: release <paramref name="Price"/> from escrow, <paramref name="Fee"/> to the treasury, the rest to the provider.</summary>
public sealed record JobVerifiedEvent(
    string EventId,
    string JobId,
    string CustomerAddress,
    string ProviderAddress,
    string WorkerId,
    long Price,
    long Fee,
    long WorkUnits,
    DateTimeOffset At);

/// <summary>A job ended without payment (<paramref name="Status"/> failed, cancelled or expired): refund the escrow.</summary>
public sealed record JobEndedEvent(string EventId, string JobId, string CustomerAddress, string Status, string? Reason, DateTimeOffset At);

/// <summary>Settlement committed: the ledger transaction id and height.</summary>
public sealed record JobSettledEvent(string EventId, string JobId, string TransactionId, long Height, DateTimeOffset At);

/// <summary>Refund committed: the ledger transaction id and height.</summary>
public sealed record JobRefundedEvent(string EventId, string JobId, string TransactionId, long Height, DateTimeOffset At);

/// <summary>Activity topics the rewards service counts (component <see cref="PubSub.Name"/>).</summary>
public static class WorkerActivityTopics
{
    /// <summary>A worker was online for a stretch of time. <see cref="WorkerUptimeEvent"/>.</summary>
    public const string WorkerUptime = "marketplace.worker-uptime";

    /// <summary>A worker's result failed verification. <see cref="VerificationFailedEvent"/>.</summary>
    public const string VerificationFailed = "marketplace.verification-failed";
}

/// <summary><paramref name="Seconds"/> of uptime (since the previous heartbeat, capped at the heartbeat timeout) of a worker with the given benchmarked capability.</summary>
public sealed record WorkerUptimeEvent(string EventId, string WorkerId, string ProviderAddress, long Seconds, long CapabilityScore, DateTimeOffset At);

/// <summary>A result of the provider's worker failed verification; the provider gets nothing from the epoch's work pool.</summary>
public sealed record VerificationFailedEvent(string EventId, string JobId, string WorkerId, string ProviderAddress, string Reason, DateTimeOffset At);
