namespace Depin.Ledger.Node;

/// <summary>Ledger settings, bound from the "Ledger" configuration section.</summary>
public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>Where blocks and snapshots live. Default ".data/ledger" under the working directory.</summary>
    public string DataDirectory { get; set; } = Path.Combine(".data", "ledger");

    /// <summary>Most transactions in one block. Default 20,000.</summary>
    public int MaxBlockSize { get; set; } = 20_000;

    /// <summary>
    /// Group-commit window: how long a block waits for more transactions after the first, in milliseconds, while the node
    /// is busy (its last block ended less than a window ago); after a quiet spell a block commits at once. Default 2 ms.
    /// </summary>
    public int BlockIntervalMilliseconds { get; set; } = 2;

    /// <summary>Most transactions in one submitted batch (at most <see cref="MaxBlockSize"/>). Default 10,000.</summary>
    public int MaxBatchSize { get; set; } = 10_000;

    /// <summary>Queued, not yet committed transactions above which submissions get 429. Default 1,000,000.</summary>
    public int MaxPendingTransactions { get; set; } = 1_000_000;

    /// <summary>Parallel execution workers. Default: the number of cores.</summary>
    public int ExecutionThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>How blocks run in parallel: Scheduled (from the declared accounts, default) or BlockStm (optimistic).</summary>
    public Execution.ParallelExecution Executor { get; set; } = Execution.ParallelExecution.Scheduled;

    /// <summary>Blocks smaller than this run on the sequential executor (same result, less overhead). Default 256.</summary>
    public int ParallelThreshold { get; set; } = 256;

    /// <summary>A snapshot is written every this many blocks. Default 1,000.</summary>
    public int SnapshotIntervalBlocks { get; set; } = 1_000;

    /// <summary>
    /// A snapshot is also written once this many transactions were committed since the last one (big blocks reach it
    /// long before the block interval), so that a restart executes at most about this many again. Default 1,000,000.
    /// </summary>
    public long SnapshotIntervalTransactions { get; set; } = 1_000_000;

    /// <summary>
    /// How long, in block time, a final job record is kept before the node prunes it (with its history and index
    /// entries), and how far back the node serves blocks and remembers transaction ids (a retry of an older id runs
    /// again; the job programs refuse a repeated transition by state anyway). Default 7 days.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Size at which the log starts a new segment file (whole segments are what the node deletes). Default 64 MiB.</summary>
    public long SegmentBytes { get; set; } = 64L << 20;

    /// <summary>
    /// Block time between an unstake and the stake becoming withdrawable (in block timestamps, not block counts: blocks form
    /// only when traffic arrives, so under load a count passes in under a second). Unbonding stake stays slashable. Default 1 day.
    /// </summary>
    public TimeSpan UnbondingDelay { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// A service credential allowed every program over REST (X-Api-Key). Default: a random key made at every start and never
    /// shown, so that with no credential configured nobody outside the process can write.
    /// </summary>
    public string? GatewayApiKey { get; set; }

    /// <summary>Per-service write credentials, each limited to the programs that service needs. Default none.</summary>
    public Dictionary<string, LedgerCredential> Credentials { get; set; } = [];
}
