using Depin.Chain;
using Depin.Rewards.Emission;
using Depin.Rewards.Epochs;

namespace Depin.Rewards.Storage;

/// <summary>Process-memory <see cref="IEpochStore"/> (the default without a connection string). Lost on restart.</summary>
public sealed class InMemoryEpochStore : IEpochStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, EpochRecord> _epochs = [];
    private readonly Dictionary<long, ProviderReward[]> _rewards = [];
    private DateTimeOffset? _genesis;

    public Task<DateTimeOffset> GetOrInitializeGenesisAsync(DateTimeOffset proposed, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _genesis ??= proposed;
            return Task.FromResult(_genesis.Value);
        }
    }

    public Task<EpochRecord> SaveComputedAsync(EpochRecord record, IReadOnlyList<ProviderReward> rewards, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(rewards);
        lock (_lock)
        {
            if (_epochs.TryGetValue(record.Epoch, out EpochRecord? existing))
            {
                return Task.FromResult(existing);
            }

            ProviderReward[] copy = [.. rewards];
            Array.Sort(copy, static (a, b) => a.Account.CompareTo(b.Account));
            _epochs[record.Epoch] = record;
            _rewards[record.Epoch] = copy;
            return Task.FromResult(record);
        }
    }

    public Task<EpochRecord?> GetEpochAsync(long epoch, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_epochs.GetValueOrDefault(epoch));
        }
    }

    public Task<IReadOnlyList<EpochRecord>> ListEpochsAsync(long? before, int take, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var page = new List<EpochRecord>(Math.Max(0, take));
            foreach (EpochRecord record in _epochs.Values.Reverse())
            {
                if (page.Count >= take)
                {
                    break;
                }

                if (before is null || record.Epoch < before)
                {
                    page.Add(record);
                }
            }

            return Task.FromResult<IReadOnlyList<EpochRecord>>(page);
        }
    }

    public Task<long> NextEpochToCloseAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            long next = 0;
            foreach (EpochRecord record in _epochs.Values)
            {
                if (record.Status < EpochStatus.Published)
                {
                    return Task.FromResult(record.Epoch);
                }

                next = record.Epoch + 1;
            }

            return Task.FromResult(next);
        }
    }

    public Task<IReadOnlyList<ProviderReward>> GetRewardsAsync(long epoch, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ProviderReward>>(_rewards.TryGetValue(epoch, out ProviderReward[]? rewards) ? rewards : []);
        }
    }

    public Task<ProviderReward?> GetRewardAsync(long epoch, Address account, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_rewards.TryGetValue(epoch, out ProviderReward[]? rewards) ? Find(rewards, account) : null);
        }
    }

    public Task<ProviderRewardHistory> GetProviderRewardsAsync(Address account, int take, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var history = new List<ProviderEpochReward>();
            long credited = 0, pending = 0;
            foreach ((long epoch, ProviderReward[] rewards) in _rewards.OrderByDescending(e => e.Key))
            {
                if (Find(rewards, account) is { } reward)
                {
                    bool isCredited = _epochs[epoch].Status >= EpochStatus.Credited;
                    if (isCredited)
                    {
                        credited += reward.Total;
                    }
                    else
                    {
                        pending += reward.Total;
                    }

                    if (history.Count < take)
                    {
                        history.Add(new ProviderEpochReward(epoch, reward, isCredited));
                    }
                }
            }

            return Task.FromResult(new ProviderRewardHistory(history, credited, pending));
        }
    }

    public Task AdvanceAsync(long epoch, EpochStatus status, string? anchorTransaction = null, DateTimeOffset? closedAt = null, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            EpochRecord record = _epochs.TryGetValue(epoch, out EpochRecord? r) ? r : throw new KeyNotFoundException($"Epoch {epoch} is not computed.");
            if (record.Status < status)
            {
                _epochs[epoch] = record with
                {
                    Status = status,
                    AnchorTransaction = anchorTransaction ?? record.AnchorTransaction,
                    ClosedAt = closedAt ?? record.ClosedAt,
                };
            }

            return Task.CompletedTask;
        }
    }

    public Task<int> IncrementCreditAttemptAsync(long epoch, int expectedAttempt, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            EpochRecord record = _epochs[epoch];
            if (record.CreditAttempt == expectedAttempt)
            {
                record = record with { CreditAttempt = expectedAttempt + 1 };
                _epochs[epoch] = record;
            }

            return Task.FromResult(record.CreditAttempt);
        }
    }

    private static ProviderReward? Find(ProviderReward[] rewards, Address account)
    {
        int lo = 0;
        int hi = rewards.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = rewards[mid].Account.CompareTo(account);
            if (c == 0)
            {
                return rewards[mid];
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return null;
    }
}
