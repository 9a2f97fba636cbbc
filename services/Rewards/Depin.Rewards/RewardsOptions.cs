namespace Depin.Rewards;

/// <summary>Rewards service settings, bound from the <c>Rewards</c> configuration section.</summary>
public sealed class RewardsOptions
{
    public const string SectionName = "Rewards";

    /// <summary>Epoch length. Default 1 hour; seconds for a demo (e.g. "00:00:15").</summary>
    public TimeSpan EpochLength { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Start of epoch 0 (UTC). Default: unset, meaning the first start's time aligned down to <see cref="EpochLength"/>, persisted in the store.</summary>
    public DateTimeOffset? Genesis { get; set; }

    /// <summary>Emission of each epoch before the first halving, in micro-credits. Default 1 000 000 000 (1 000 credits).</summary>
    public long InitialEmissionPerEpoch { get; set; } = 1_000_000_000;

    /// <summary>The emission halves every this many epochs. Default 8 760 (a year of hourly epochs).</summary>
    public long HalvingIntervalEpochs { get; set; } = 8_760;

    /// <summary>Availability pool share of the emission, in basis points; the rest is the work pool. Default 4 000 (40 %).</summary>
    public int AvailabilityBasisPoints { get; set; } = 4_000;

    /// <summary>Ledger reward-credit transactions per submitted batch. Default 5 000.</summary>
    public int CreditBatchSize { get; set; } = 5_000;

    /// <summary>Cron of the Hangfire job that closes every ended epoch. Default: derived from <see cref="EpochLength"/> (every N seconds below a minute, else every minute).</summary>
    public string? CloseCron { get; set; }

    /// <summary>Lifetime of a wallet challenge. Default 5 minutes.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Platform name written into, and required in, wallet challenges. Default "Depin Platform".</summary>
    public string PlatformName { get; set; } = "Depin Platform";

    /// <summary>Whether to register the Hangfire server and the recurring close job. Default true (tests may drive the closer directly).</summary>
    public bool RunScheduler { get; set; } = true;

    /// <summary>
    /// Micro-credits deposited once into the ledger's reward pool at start (an idempotent deposit with a fixed transaction
    /// id, so restarts fund it once). A development convenience until emissions are minted on chain. Default 0: none.
    /// </summary>
    public long RewardPoolFunding { get; set; }

    /// <summary>Base URL of a standalone ledger service; unset: use the in-process ledger (<c>AddLedger()</c>). Default unset.</summary>
    public string? LedgerUrl { get; set; }

    /// <summary>The ledger's gateway key (X-Api-Key on submits), when it requires one. Default unset.</summary>
    public string? LedgerApiKey { get; set; }

    /// <summary>Record verified work from the marketplace's job-verified events (deduplicated by event id). Default true; turn off if the marketplace calls RecordVerifiedWork itself.</summary>
    public bool RecordVerifiedWorkFromEvents { get; set; } = true;

    /// <summary>
    /// Where an epoch's work units come from: <see cref="WorkUnitsSource.Ledger"/> (default) counts the jobs the ledger
    /// settled in the window (rewards pay exactly what was settled, whatever events were lost or late);
    /// <see cref="WorkUnitsSource.Events"/> counts verified-work events as they arrive. Without a ledger to read
    /// (neither <see cref="LedgerUrl"/> nor an in-process node), events are used.
    /// </summary>
    public WorkUnitsSource WorkUnitsFrom { get; set; } = WorkUnitsSource.Ledger;

    public ChainSettings Chain { get; set; } = new();

    /// <summary>Ledger state anchoring on chain.</summary>
    public AnchoringSettings Anchoring { get; set; } = new();
}

/// <summary>Where an epoch's work units come from (<see cref="RewardsOptions.WorkUnitsFrom"/>).</summary>
public enum WorkUnitsSource
{
    /// <summary>The jobs the ledger settled in the epoch's window.</summary>
    Ledger,

    /// <summary>The marketplace's job-verified events.</summary>
    Events,
}

/// <summary>Where payout roots and state anchors go. Without <see cref="RpcUrl"/>, nothing is sent on chain.</summary>
public sealed class ChainSettings
{
    /// <summary>JSON-RPC endpoint, e.g. http://127.0.0.1:8545. Default: unset (chain disabled).</summary>
    public string? RpcUrl { get; set; }

    /// <summary>Hex secp256k1 key of the distributor/anchor owner that signs transactions locally. Default: unset.</summary>
    public string? SignerPrivateKey { get; set; }

    /// <summary>MerkleDistributor address. Default: unset (payout roots are computed but not set on chain).</summary>
    public string? DistributorAddress { get; set; }

    /// <summary>StateAnchor address. Default: unset (no ledger anchoring).</summary>
    public string? StateAnchorAddress { get; set; }

    /// <summary>Vault address: deposits in, emissions and withdrawals. Default: unset (no bridge).</summary>
    public string? VaultAddress { get; set; }

    /// <summary>The platform token (ERC-20) the Vault holds. Default: unset.</summary>
    public string? TokenAddress { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(RpcUrl) && !string.IsNullOrWhiteSpace(SignerPrivateKey);
}

/// <summary>Anchoring of the ledger's state root.</summary>
public sealed class AnchoringSettings
{
    /// <summary>Anchor when the ledger is at least this many blocks past the last anchor. Default 100 blocks.</summary>
    public long EveryBlocks { get; set; } = 100;

    /// <summary>How often the ledger head is checked. Default 5 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
