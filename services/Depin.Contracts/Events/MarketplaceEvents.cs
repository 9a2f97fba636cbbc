namespace Depin.Contracts.Events;

/// <summary>Marketplace topic names (component <see cref="PubSub.Name"/>).</summary>
public static class MarketplaceTopics
{
    /// <summary>Escrow locked; the job is queued. <see cref="JobFundedEvent"/>.</summary>
    public const string JobFunded = "marketplace.job-funded";

    /// <summary>Escrow could not be locked; nothing was locked. <see cref="JobRejectedEvent"/>.</summary>
    public const string JobRejected = "marketplace.job-rejected";

    /// <summary>A result passed verification: settle it. <see cref="JobVerifiedEvent"/>.</summary>
    public const string JobVerified = "marketplace.job-verified";

    /// <summary>A job failed, was cancelled or expired: refund its escrow. <see cref="JobEndedEvent"/>.</summary>
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
