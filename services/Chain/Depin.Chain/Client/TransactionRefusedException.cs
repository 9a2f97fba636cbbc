namespace Depin.Chain;

/// <summary>
/// The node refused to take a transaction at all, before any contract ran (not a revert): the sender cannot pay its
/// gas, a nonce or fee the node will not accept. <see cref="NodeMessage"/> is the node's own words.
/// </summary>
public sealed class TransactionRefusedException(string nodeMessage, Exception innerException)
    : Exception($"The chain node refused the transaction: {nodeMessage}", innerException)
{
    public string NodeMessage { get; } = nodeMessage;

    /// <summary>The sender's balance does not cover gas × price + value.</summary>
    public bool InsufficientFunds => NodeMessage.Contains("insufficient funds", StringComparison.OrdinalIgnoreCase);
}
