using Depin.Chain;
using Depin.Rewards.Emission;
using Depin.Rewards.Epochs;

namespace Depin.Rewards.Storage;

/// <summary>Durable epoch results. Writes are idempotent: a computed epoch is never overwritten, and status only moves forward.</summary>
public interface IEpochStore
{
    /// <summary>The persisted genesis, or <paramref name="proposed"/> after persisting it when none is.</summary>
    Task<DateTimeOffset> GetOrInitializeGenesisAsync(DateTimeOffset proposed, CancellationToken cancellationToken = default);

    /// <summary>Persists a computed epoch with its rewards unless the epoch exists; returns the stored record (the first one wins).</summary>
    Task<EpochRecord> SaveComputedAsync(EpochRecord record, IReadOnlyList<ProviderReward> rewards, CancellationToken cancellationToken = default);

    Task<EpochRecord?> GetEpochAsync(long epoch, CancellationToken cancellationToken = default);

    /// <summary>Epochs newest first, strictly before <paramref name="before"/> when given.</summary>
    Task<IReadOnlyList<EpochRecord>> ListEpochsAsync(long? before, int take, CancellationToken cancellationToken = default);

    /// <summary>The lowest epoch not yet published, else one past the newest, else 0.</summary>
    Task<long> NextEpochToCloseAsync(CancellationToken cancellationToken = default);

    /// <summary>Rewards of <paramref name="epoch"/>, sorted by account.</summary>
    Task<IReadOnlyList<ProviderReward>> GetRewardsAsync(long epoch, CancellationToken cancellationToken = default);

    Task<ProviderReward?> GetRewardAsync(long epoch, Address account, CancellationToken cancellationToken = default);

    /// <summary>A provider's rewards, newest epoch first (up to <paramref name="take"/>), and its lifetime totals, credited and pending.</summary>
    Task<ProviderRewardHistory> GetProviderRewardsAsync(Address account, int take, CancellationToken cancellationToken = default);

    /// <summary>Moves <paramref name="epoch"/> to <paramref name="status"/> (no-op if it is already there or further), recording the anchor transaction and close time when given.</summary>
    Task AdvanceAsync(long epoch, EpochStatus status, string? anchorTransaction = null, DateTimeOffset? closedAt = null, CancellationToken cancellationToken = default);

    /// <summary>Records that a credit attempt had failures, so the next run uses fresh transaction ids for the unpaid.</summary>
    Task<int> IncrementCreditAttemptAsync(long epoch, int expectedAttempt, CancellationToken cancellationToken = default);
}
