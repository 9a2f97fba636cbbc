namespace Depin.Rewards.Epochs;

/// <summary>
/// The work units the ledger settled in an epoch window, per provider: what rewards pays work for. A source answers only
/// once the window is complete on the ledger (no block can still commit inside it) and throws otherwise, so the close retries.
/// </summary>
public interface ISettledWorkSource
{
    Task<IReadOnlyDictionary<string, long>> GetSettledUnitsAsync(EpochWindow window, CancellationToken cancellationToken = default);
}

/// <summary>The window is not complete on the ledger yet (its clock has not passed the window's end); the close retries.</summary>
public sealed class SettledWorkNotFinalException(EpochWindow window, DateTimeOffset completeBefore)
    : Exception($"Epoch {window.Epoch} ends at {window.End:O}, but the ledger can still commit blocks from {completeBefore:O}; its settled work is not final yet.");
