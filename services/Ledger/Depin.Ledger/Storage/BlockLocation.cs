namespace Depin.Ledger.Storage;

/// <summary>Where a block's record lives in the log.</summary>
public readonly record struct BlockLocation(int Segment, long Offset, int Length);
