namespace Depin.Chain;

/// <summary>Tuning for <see cref="ChainClient"/>.</summary>
public sealed class ChainClientOptions
{
    /// <summary>How long to wait for a receipt. Default 60 s.</summary>
    public TimeSpan ReceiptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Delay between receipt polls. Default 20 ms (Nethereum's 100 ms dominates on anvil).</summary>
    public TimeSpan ReceiptPollInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Timeout of one JSON-RPC request. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
