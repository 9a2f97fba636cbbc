namespace Depin.Rewards.Bridge;

/// <summary>The bridge to the Vault: how the chain watcher follows deposits and how withdrawals are batched (section Rewards:Bridge).</summary>
public sealed class BridgeOptions
{
    public const string SectionName = "Rewards:Bridge";

    /// <summary>Blocks a deposit must be buried under (its own included) before it is credited. Default 3.</summary>
    public int Confirmations { get; set; } = 3;

    /// <summary>How often the watcher reads the chain head. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most blocks one log query spans. Default 2,000.</summary>
    public int MaxBlocksPerScan { get; set; } = 2_000;

    /// <summary>The first block to scan on an empty cursor (the Vault's deployment block). Default 0.</summary>
    public ulong StartBlock { get; set; }

    /// <summary>Whether the watcher runs (it also needs Rewards:Chain:VaultAddress). Default true.</summary>
    public bool RunWatcher { get; set; } = true;

    /// <summary>How often debited withdrawals are batched into a root on the Vault. Default 1 min.</summary>
    public TimeSpan WithdrawalBatchInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether withdrawals are batched on that interval (it also needs Rewards:Chain:VaultAddress). Default true.</summary>
    public bool RunWithdrawalBatcher { get; set; } = true;

    /// <summary>A development convenience: POST /api/bridge/dev/fund mints test tokens and gas to a wallet on the local chain. Default true, and only ever in Development or --demo.</summary>
    public bool EnableDevFaucet { get; set; } = true;

    /// <summary>The chain's JSON-RPC URL as wallets outside the platform reach it (shown by GET /api/bridge). Default: Rewards:Chain:RpcUrl.</summary>
    public string? PublicRpcUrl { get; set; }
}
