namespace Depin.Chain;

/// <summary>A transaction was mined but its receipt has status 0 (reverted), or no receipt came in time.</summary>
public sealed class TransactionFailedException(string message, Hash32 transactionHash, TransactionReceipt? receipt = null) : Exception(message)
{
    public Hash32 TransactionHash { get; } = transactionHash;

    public TransactionReceipt? Receipt { get; } = receipt;
}
