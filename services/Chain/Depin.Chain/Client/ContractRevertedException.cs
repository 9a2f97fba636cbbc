namespace Depin.Chain;

/// <summary>The node refused a transaction because the contract reverted at gas estimation; <see cref="RevertReason"/> is its <c>Error(string)</c>.</summary>
public sealed class ContractRevertedException(string? revertReason, Exception innerException)
    : Exception(revertReason is null ? "The contract reverted." : $"The contract reverted: {revertReason}", innerException)
{
    public string? RevertReason { get; } = revertReason;
}
