using Depin.Contracts.Marketplace;

namespace Depin.Worker;

/// <summary>Worker agent settings, bound from the <c>Worker</c> configuration section (or set by a test).</summary>
public sealed class WorkerAgentOptions
{
    public const string Section = "Worker";

    /// <summary>Marketplace base URL, e.g. http://127.0.0.1:5000.</summary>
    public string MarketplaceUrl { get; set; } = "http://127.0.0.1:5000";

    /// <summary>The provider's API key (X-Api-Key).</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>
    /// Without an <see cref="ApiKey"/>: the provider's wallet key file (created when missing); the worker registers the
    /// provider with it through the wallet proof, once, and keeps the registration beside it. Default none.
    /// </summary>
    public string? WalletKeyFile { get; set; }

    /// <summary>Name of the provider a <see cref="WalletKeyFile"/> registers. Default "worker-pool".</summary>
    public string ProviderName { get; set; } = "worker-pool";

    /// <summary>Worker name shown to the provider. Default the machine name.</summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>Ask price, micro-credits per 1,000,000 work units. Default 1,000.</summary>
    public long AskPricePerMegaUnit { get; set; } = 1_000;

    /// <summary>Kernel kinds to run; empty = all.</summary>
    public List<string> Kinds { get; set; } = [];

    /// <summary>Use only the CPU accelerator even when CUDA is present (tests). Default false.</summary>
    public bool CpuOnly { get; set; }

    /// <summary>Seconds a lease request waits for work (0..20). Default 20.</summary>
    public int LeaseWaitSeconds { get; set; } = 20;

    /// <summary>
    /// Jobs a device lane takes per lease request (1..16), run one after another: more saves requests on small jobs, fewer
    /// leaves work to other workers on long ones. Default 1.
    /// </summary>
    public int JobsPerLease { get; set; } = 1;

    /// <summary>
    /// Longest a finished result waits on its lane for the results of the lease's next jobs, to go up with them in one
    /// request (when a lane took several jobs); past it, what is held goes up while the next job runs. Zero uploads each
    /// at once. Default 50 ms.
    /// </summary>
    public TimeSpan ResultHoldTime { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Heartbeat period; must be well under the marketplace's lease and heartbeat timeouts. Default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First retry delay of a failed call; doubles up to <see cref="MaxRetryDelay"/>. Default 200 ms.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest retry delay. Default 10 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Skips the GFLOP/s measurement and reports this score instead (tests). Default: measure.</summary>
    public int? BenchmarkScore { get; set; }

    /// <summary>Test hook run after a lease is granted and before the kernel runs; its token is cancelled when the agent stops or is killed.</summary>
    public Func<LeaseView, CancellationToken, Task>? BeforeRun { get; set; }

    /// <summary>Test hook that may alter a result before upload (to simulate a dishonest or faulty worker).</summary>
    public Func<LeaseView, byte[], byte[]>? ResultFilter { get; set; }
}
