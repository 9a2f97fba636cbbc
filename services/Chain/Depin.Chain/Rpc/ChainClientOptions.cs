namespace Depin.Chain;

/// <summary>Tuning for <see cref="JsonRpcChainClient"/>.</summary>
public sealed class ChainClientOptions
{
    /// <summary>How long to wait for a receipt. Default 60 s.</summary>
    public TimeSpan ReceiptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Delay between eth_getTransactionReceipt polls. Default 50 ms.</summary>
    public TimeSpan ReceiptPollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Gas limit = estimate × this factor, in percent. Default 125 (%).</summary>
    public int GasLimitPercent { get; set; } = 125;

    /// <summary>Max fee per gas = next base fee × this factor + tip. Default 2.</summary>
    public int BaseFeeMultiplier { get; set; } = 2;
}
