namespace Depin.Marketplace;

/// <summary>Marketplace settings, bound from the <c>Marketplace</c> configuration section.</summary>
public sealed class MarketplaceOptions
{
    public const string Section = "Marketplace";

    /// <summary>Bonded stake (micro-credits) a provider needs per registered worker before its workers receive leases. Default 0: none.</summary>
    public long MinStakePerWorker { get; set; }

    /// <summary>Share of a provider's stake (bonded, then unbonding) slashed to the treasury when a result fails verification, in basis points, once per job attempt. Default 1000 (10 %).</summary>
    public int SlashBasisPoints { get; set; } = 1000;

    /// <summary>Workers whose reputation (0..1, see <see cref="Workers.Reputation"/>) is below this receive no leases. Default 0: none is stopped.</summary>
    public double MinReputation { get; set; }

    /// <summary>How fast old outcomes fade from a worker's reputation: their weight halves every this long. Default 1 day.</summary>
    public TimeSpan ReputationHalfLife { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a worker below full reputation holds back before it takes a job, scaled by its shortfall (reputation r waits
    /// (1 − r) × this), so that among workers asking at the same time the more reliable one gets the job. Default 50 ms.
    /// </summary>
    public TimeSpan ReputationLeaseHandicap { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How often the platform submits a canary (a job whose answer it knows, see <see cref="Canaries.ICanaryGrain"/>),
    /// paid by the treasury. Zero turns canaries off. Default 10 min.
    /// </summary>
    public TimeSpan CanaryInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Kinds canaries are drawn from (among those with workers online). Default empty: every kind.</summary>
    public List<string> CanaryKinds { get; set; } = [];

    /// <summary>Customer accounts canaries are submitted from. Default 8.</summary>
    public int CanaryAccounts { get; set; } = 8;

    /// <summary>Canaries an account submits before it is retired for a new one. Default 20.</summary>
    public int CanaryJobsPerAccount { get; set; } = 20;

    /// <summary>Platform fee in basis points of the job price, paid to the treasury. Default 250 (2.5 %).</summary>
    public int FeeBasisPoints { get; set; } = 250;

    /// <summary>Lease length; a lease heartbeat extends it by this much. Default 30 s.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a job checks its lease and deadline, and retries pending settlement. Default 1 s.</summary>
    public TimeSpan JobCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a queued job enqueues itself again, so that a queue lost with its activation (its silo died) is rebuilt.
    /// Default 5 s: a backlog of queued jobs does not send its queue a message per job every check.
    /// </summary>
    public TimeSpan QueueRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A worker that has not sent a heartbeat for this long goes offline and loses its leases. Default 30 s.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a worker grain checks its last heartbeat. Default 5 s.</summary>
    public TimeSpan HeartbeatCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the ledger's open jobs are swept (their grains woken). Default 15 s; the first sweep runs at start.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How old a funded, never-leased record without its stored submission must be before the job's grain refunds it (a
    /// submission is stored while its escrow locks, so a younger one may still be on its way). Default 1 minute.
    /// </summary>
    public TimeSpan UnstoredSubmissionGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most open jobs woken per sweep. Default 100,000.</summary>
    public int SweepLimit { get; set; } = 100_000;

    /// <summary>Deadline of a job whose customer gives none, so that no escrow stays locked for ever. Default 24 h.</summary>
    public TimeSpan DefaultJobDeadline { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Leases a job may take (each expired, released or failed-verification lease uses one) before it fails and is refunded; the ledger enforces it. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Longest lease long-poll. Default 20 s.</summary>
    public TimeSpan MaxLeaseWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The longest a waiting lease request sleeps before it looks at the queues again. A queued job wakes a waiting request
    /// at once, whichever silo took it; this only bounds how late a request hears of a job whose wake-up went to another
    /// that left. Default 1 s.
    /// </summary>
    public TimeSpan LeasePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a verified job whose settlement the ledger did not take waits before its grain submits it again. Default 10 s.</summary>
    public TimeSpan SettlementRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether customers may credit their own account (dev faucet). Default true, and only ever in Development or --demo.</summary>
    public bool EnableFaucet { get; set; } = true;

    /// <summary>Largest faucet or admin deposit, micro-credits. Default 10¹².</summary>
    public long MaxDeposit { get; set; } = 1_000_000_000_000;

    /// <summary>Requests per <see cref="RateLimitWindow"/> per API key (or client address without one). Default 600.</summary>
    public int RateLimitPermits { get; set; } = 600;

    /// <summary>Rate limit window. Default 10 s.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Folder of the content store (group-committed segment files): each job as submitted (parameters and input), which
    /// its ledger record commits to by SHA-256, and each uploaded result, under the digest its completion records.
    /// Default ".data/content" under the working directory.
    /// </summary>
    public string? ContentDirectory { get; set; }

    /// <summary>The content store's folder after defaults.</summary>
    public string ContentPath => ContentDirectory ?? Path.Combine(".data", "content");

    /// <summary>Largest result upload, bytes (before base64). Default 64 MiB.</summary>
    public int MaxResultBytes { get; set; } = 64 << 20;

    /// <summary>Largest job input, bytes (before base64). Default 16 MiB.</summary>
    public int MaxInputBytes { get; set; } = 16 << 20;

    /// <summary>Highest accepted price per 1,000,000 work units, micro-credits. Default 10¹².</summary>
    public long MaxPricePerMegaUnit { get; set; } = 1_000_000_000_000;

    /// <summary>
    /// The address the silo advertises to the cluster (a pod IP on Kubernetes); it then listens on every address.
    /// Default unset: loopback, for one machine.
    /// </summary>
    public string? SiloAddress { get; set; }

    /// <summary>Orleans silo port (0: a free loopback port chosen at start, for replicas). Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans gateway port (0: a free loopback port chosen at start). Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Base URL of a standalone ledger service, used when no in-process <c>ILedgerClient</c> is registered.</summary>
    public string? LedgerUrl { get; set; }

    /// <summary>
    /// The rewards service (e.g. http://rewards through service discovery). When set, provider registration requires the
    /// EIP-191 proof of the payout wallet that rewards' /api/wallets issues and verifies. Default unset.
    /// </summary>
    public string? RewardsUrl { get; set; }

    /// <summary>The marketplace's ledger write credential (X-Api-Key) for <see cref="LedgerUrl"/>. Default unset.</summary>
    public string? LedgerApiKey { get; set; }
}
