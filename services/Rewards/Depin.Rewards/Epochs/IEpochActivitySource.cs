namespace Depin.Rewards.Epochs;

/// <summary>
/// Where epoch inputs come from; the marketplace implements it (or feeds <see cref="EpochActivityRecorder"/>).
/// Called once per epoch close, after the window ended; the result is persisted, so later calls for the same epoch are not made.
/// </summary>
public interface IEpochActivitySource
{
    /// <summary>Every provider with any activity in <paramref name="window"/>, at most one entry per payout address (duplicates are summed).</summary>
    Task<IReadOnlyList<ProviderActivity>> GetActivityAsync(EpochWindow window, CancellationToken cancellationToken = default);
}
