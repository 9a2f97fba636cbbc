using Depin.Testing;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Contracts.Rewards;
using Depin.Ledger;
using Depin.Ledger.Api;
using Depin.Ledger.Node;
using Depin.Rewards.Anchoring;
using Depin.Rewards.Emission;
using Depin.Rewards.Epochs;
using Depin.Rewards.IntegrationTests.Support;
using Depin.Rewards.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nethereum.Signer;

namespace Depin.Rewards.IntegrationTests;

/// <summary>Crash-resume of an epoch close against the real durable ledger: balances prove nothing is paid twice.</summary>
public sealed class LedgerCrashResumeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Genesis = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _data = new();
    private LedgerNode _node = null!;
    private ILedgerClient _ledger = null!;

    public enum Step
    {
        AfterComputed,
        AfterCreditedBeforeRecord,
        AfterAnchoredBeforeRecord,
        AfterPublishedBeforeRecord,
    }

    public Task InitializeAsync()
    {
        _node = new LedgerNode(new LedgerOptions { DataDirectory = _data.Path }, NullLogger<LedgerNode>.Instance);
        _node.Start();
        _ledger = new LocalLedgerClient(_node);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _node.StopAsync();
        _node.Dispose();
        _data.Dispose();
    }

    [Theory]
    [InlineData(Step.AfterComputed)]
    [InlineData(Step.AfterCreditedBeforeRecord)]
    [InlineData(Step.AfterAnchoredBeforeRecord)]
    [InlineData(Step.AfterPublishedBeforeRecord)]
    public async Task Rerun_after_a_crash_pays_every_provider_exactly_once_on_the_ledger(Step step)
    {
        await _ledger.FundRewardPoolAsync(10_000_000);
        var time = new FakeTimeProvider(Genesis);
        var clock = new EpochClock(Genesis, TimeSpan.FromMinutes(1));
        var recorder = new EpochActivityRecorder(clock, time);
        Address[] providers = [.. Enumerable.Range(0, 25).Select(_ => EthECKey.GenerateKey().Address)];
        for (int i = 0; i < providers.Length; i++)
        {
            recorder.RecordUptime(providers[i], 60, 1 + i, Genesis);
            recorder.RecordVerifiedWork(providers[i], i % 4, Genesis);
        }

        time.SetUtcNow(Genesis.AddMinutes(1));
        var store = new CrashOnceStore(step);
        EpochCloser closer = NewCloser(store, recorder, clock, time);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => closer.CloseDueEpochsAsync());
        EpochCloser restarted = NewCloser(store, recorder, clock, time);
        await restarted.CloseDueEpochsAsync();

        IReadOnlyList<ProviderReward> rewards = await store.GetRewardsAsync(0);
        Assert.Equal(EpochStatus.Published, (await store.GetEpochAsync(0))!.Status);
        Assert.Equal(25, rewards.Count);
        foreach (ProviderReward reward in rewards)
        {
            Assert.Equal(reward.Total, (await _ledger.GetAccountAsync(reward.Account.ToLowerHex())).Balance);
        }

        Assert.Equal(10_000_000 - 1_000_000, (await _ledger.GetAccountAsync(LedgerAccounts.RewardPool)).Balance);
    }

    private EpochCloser NewCloser(IEpochStore store, IEpochActivitySource activity, EpochClock clock, TimeProvider time)
    {
        var options = Options.Create(new RewardsOptions { InitialEmissionPerEpoch = 1_000_000, CreditBatchSize = 7, EpochLength = clock.Length });
        return new EpochCloser(store, activity, _ledger, new ChainPayoutRootPublisher(new RewardsChain(new ChainSettings())), new NoEvents(), clock,
            new PayoutTreeCache(store), options, time, NullLogger<EpochCloser>.Instance);
    }

    private sealed class NoEvents : IEpochEventPublisher
    {
        public Task PublishAsync(EpochClosedEvent closed, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    public sealed class SimulatedCrashException() : Exception("Simulated crash.");

    /// <summary>An in-memory store that throws once at the chosen step, after (or instead of) recording it.</summary>
    private sealed class CrashOnceStore(Step step) : IEpochStore
    {
        private readonly InMemoryEpochStore _inner = new();
        private bool _crashed;

        public Task<DateTimeOffset> GetOrInitializeGenesisAsync(DateTimeOffset proposed, CancellationToken cancellationToken = default) => _inner.GetOrInitializeGenesisAsync(proposed, cancellationToken);

        public async Task<EpochRecord> SaveComputedAsync(EpochRecord record, IReadOnlyList<ProviderReward> rewards, CancellationToken cancellationToken = default)
        {
            EpochRecord stored = await _inner.SaveComputedAsync(record, rewards, cancellationToken);
            CrashAt(Step.AfterComputed);
            return stored;
        }

        public Task<EpochRecord?> GetEpochAsync(long epoch, CancellationToken cancellationToken = default) => _inner.GetEpochAsync(epoch, cancellationToken);

        public Task<IReadOnlyList<EpochRecord>> ListEpochsAsync(long? before, int take, CancellationToken cancellationToken = default) => _inner.ListEpochsAsync(before, take, cancellationToken);

        public Task<long> NextEpochToCloseAsync(CancellationToken cancellationToken = default) => _inner.NextEpochToCloseAsync(cancellationToken);

        public Task<IReadOnlyList<ProviderReward>> GetRewardsAsync(long epoch, CancellationToken cancellationToken = default) => _inner.GetRewardsAsync(epoch, cancellationToken);

        public Task<ProviderReward?> GetRewardAsync(long epoch, Address account, CancellationToken cancellationToken = default) => _inner.GetRewardAsync(epoch, account, cancellationToken);

        public Task<ProviderRewardHistory> GetProviderRewardsAsync(Address account, int take, CancellationToken cancellationToken = default) =>
            _inner.GetProviderRewardsAsync(account, take, cancellationToken);

        public Task AdvanceAsync(long epoch, EpochStatus status, string? anchorTransaction = null, DateTimeOffset? closedAt = null, CancellationToken cancellationToken = default)
        {
            CrashAt(status switch
            {
                EpochStatus.Credited => Step.AfterCreditedBeforeRecord,
                EpochStatus.Anchored => Step.AfterAnchoredBeforeRecord,
                _ => Step.AfterPublishedBeforeRecord,
            });
            return _inner.AdvanceAsync(epoch, status, anchorTransaction, closedAt, cancellationToken);
        }

        public Task<int> IncrementCreditAttemptAsync(long epoch, int expectedAttempt, CancellationToken cancellationToken = default) =>
            _inner.IncrementCreditAttemptAsync(epoch, expectedAttempt, cancellationToken);

        private void CrashAt(Step point)
        {
            if (point == step && !_crashed)
            {
                _crashed = true;
                throw new SimulatedCrashException();
            }
        }
    }
}
