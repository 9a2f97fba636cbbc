namespace Depin.Ledger.Execution;

/// <summary>Chain rules that programs depend on.</summary>
public sealed record ExecutionSettings(long UnbondingBlocks = 100)
{
    public static ExecutionSettings Default { get; } = new();
}
