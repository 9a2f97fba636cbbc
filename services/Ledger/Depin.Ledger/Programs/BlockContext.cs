namespace Depin.Ledger.Programs;

/// <summary>What a program may know of its block: the height, the block timestamp (Unix ms, chosen before execution) and the chain rules.</summary>
public readonly record struct BlockContext(long Height, long TimestampMs, long UnbondingDelayMs = 86_400_000);
