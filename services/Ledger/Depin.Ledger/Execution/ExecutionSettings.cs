namespace Depin.Ledger.Execution;

/// <summary>Chain rules that programs depend on.</summary>
/// <param name="UnbondingDelayMs">Block time (ms) between an unstake and its stake becoming withdrawable. Default 1 day.</param>
public sealed record ExecutionSettings(long UnbondingDelayMs = 86_400_000)
{
    public static ExecutionSettings Default { get; } = new();
}
