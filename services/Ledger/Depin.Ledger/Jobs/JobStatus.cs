namespace Depin.Ledger.Jobs;

/// <summary>A job record's lifecycle. Settled, Failed, Cancelled and Expired are final: the escrow is paid out or refunded.</summary>
public enum JobStatus : byte
{
    /// <summary>No record (the job id is unused).</summary>
    None = 0,

    /// <summary>Funded and waiting for a worker.</summary>
    Queued = 1,

    /// <summary>Held by a worker under a fencing token until the lease deadline.</summary>
    Leased = 2,

    /// <summary>The leaseholder reported a result digest; waiting for verification and settlement.</summary>
    Completed = 3,

    /// <summary>Final: the provider was paid its price minus the fee, the rest refunded.</summary>
    Settled = 4,

    /// <summary>Final: the attempt budget ran out; the escrow was refunded.</summary>
    Failed = 5,

    /// <summary>Final: the customer cancelled a queued job; the escrow was refunded.</summary>
    Cancelled = 6,

    /// <summary>Final: the job's deadline passed before settlement; the escrow was refunded.</summary>
    Expired = 7,
}
