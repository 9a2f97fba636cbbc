using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Contracts.Rewards;
using Depin.Rewards.Anchoring;
using Depin.Rewards.Emission;
using Depin.Rewards.Epochs;
using Depin.Rewards.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Depin.Rewards.Tests.Support;

/// <summary>Where a simulated crash strikes during an epoch close.</summary>
public enum CrashPoint
{
    None,
    AfterComputed,
    MidCredit,
    AfterCreditedBeforeRecord,
    AfterRootSetBeforeRecord,
    AfterPublishedBeforeRecord,
}

/// <summary>An <see cref="EpochCloser"/> over in-memory parts, with one injectable crash.</summary>
public sealed class CloserHarness
{
    public static readonly DateTimeOffset Genesis = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public CloserHarness(long rewardPool = long.MaxValue / 2, int batchSize = 2)
    {
        Options = new RewardsOptions
        {
            EpochLength = TimeSpan.FromMinutes(1),
            InitialEmissionPerEpoch = 1_000_003,
            HalvingIntervalEpochs = 10,
            AvailabilityBasisPoints = 4_000,
            CreditBatchSize = batchSize,
        };
        Time = new FakeTimeProvider(Genesis);
        Clock = new EpochClock(Genesis, Options.EpochLength);
        Recorder = new EpochActivityRecorder(Clock, Time);
        Ledger = new FakeLedger(rewardPool);
        Store = new CrashingStore(this);
        CrashingLedger = new CrashingLedger(this, Ledger);
        Roots = new FakeRootPublisher();
        Events = new FakeEventPublisher();
        Closer = new EpochCloser(Store, Recorder, CrashingLedger, Roots, Events, Clock, new PayoutTreeCache(Store), Microsoft.Extensions.Options.Options.Create(Options),
            Time, NullLogger<EpochCloser>.Instance);
    }

    public RewardsOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public EpochClock Clock { get; }

    public EpochActivityRecorder Recorder { get; }

    public FakeLedger Ledger { get; }

    public CrashingStore Store { get; }

    public CrashingLedger CrashingLedger { get; }

    public FakeRootPublisher Roots { get; }

    public FakeEventPublisher Events { get; }

    public EpochCloser Closer { get; }

    /// <summary>The next crash; cleared once it fires.</summary>
    public CrashPoint Crash { get; set; }

    public void SeedActivity(long epoch, int providers)
    {
        DateTimeOffset at = Clock.Window(epoch).Start + TimeSpan.FromSeconds(1);
        for (int i = 1; i <= providers; i++)
        {
            Address a = Addresses.Numbered(i);
            Recorder.RecordUptime(a, 10 * i, 3 + i % 4, at);
            if (i % 3 != 0)
            {
                Recorder.RecordVerifiedWork(a, i * 7, at);
            }

            if (i == 5)
            {
                Recorder.RecordFailedVerification(a, at);
            }
        }
    }

    public void EndEpoch(long epoch) => Time.SetUtcNow(Clock.Window(epoch).End + TimeSpan.FromMilliseconds(1));

    internal bool Fire(CrashPoint point)
    {
        if (Crash != point)
        {
            return false;
        }

        Crash = CrashPoint.None;
        return true;
    }
}

public sealed class SimulatedCrashException(CrashPoint point) : Exception($"Simulated crash at {point}.");

public sealed class CrashingStore(CloserHarness harness) : IEpochStore
{
    private readonly InMemoryEpochStore _inner = new();

    public Task<DateTimeOffset> GetOrInitializeGenesisAsync(DateTimeOffset proposed, CancellationToken cancellationToken = default) => _inner.GetOrInitializeGenesisAsync(proposed, cancellationToken);

    public async Task<EpochRecord> SaveComputedAsync(EpochRecord record, IReadOnlyList<ProviderReward> rewards, CancellationToken cancellationToken = default)
    {
        EpochRecord stored = await _inner.SaveComputedAsync(record, rewards, cancellationToken);
        return harness.Fire(CrashPoint.AfterComputed) ? throw new SimulatedCrashException(CrashPoint.AfterComputed) : stored;
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
        CrashPoint point = status switch
        {
            EpochStatus.Credited => CrashPoint.AfterCreditedBeforeRecord,
            EpochStatus.Anchored => CrashPoint.AfterRootSetBeforeRecord,
            EpochStatus.Published => CrashPoint.AfterPublishedBeforeRecord,
            _ => CrashPoint.None,
        };
        return harness.Fire(point) ? throw new SimulatedCrashException(point) : _inner.AdvanceAsync(epoch, status, anchorTransaction, closedAt, cancellationToken);
    }

    public Task<int> IncrementCreditAttemptAsync(long epoch, int expectedAttempt, CancellationToken cancellationToken = default) =>
        _inner.IncrementCreditAttemptAsync(epoch, expectedAttempt, cancellationToken);
}

/// <summary>Crashes after the ledger durably committed the second batch, before the receipts come back.</summary>
public sealed class CrashingLedger(CloserHarness harness, FakeLedger inner) : ILedgerClient
{
    private int _batches;

    public async Task<IReadOnlyList<ReceiptDto>> SubmitAsync(IReadOnlyList<LedgerTransactionDto> transactions, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ReceiptDto> receipts = await inner.SubmitAsync(transactions, cancellationToken);
        if (++_batches >= 2 && harness.Fire(CrashPoint.MidCredit))
        {
            throw new SimulatedCrashException(CrashPoint.MidCredit);
        }

        return receipts;
    }

    public Task<AccountDto> GetAccountAsync(string address, CancellationToken cancellationToken = default) => inner.GetAccountAsync(address, cancellationToken);

    public Task<ReceiptDto?> GetReceiptAsync(string id, CancellationToken cancellationToken = default) => inner.GetReceiptAsync(id, cancellationToken);
}

/// <summary>A distributor that, like the contract, takes one root per epoch; PublishAsync is idempotent like ChainPayoutRootPublisher.</summary>
public sealed class FakeRootPublisher : IPayoutRootPublisher
{
    public Dictionary<long, Hash32> Roots { get; } = [];

    public int Transactions { get; private set; }

    public bool IsEnabled => true;

    public string? DistributorAddress => "0x00000000000000000000000000000000000000d1";

    public Task<string?> PublishAsync(long epoch, Hash32 root, CancellationToken cancellationToken = default)
    {
        if (Roots.TryGetValue(epoch, out Hash32 existing))
        {
            return existing == root ? Task.FromResult<string?>(null) : throw new InvalidOperationException("root already set");
        }

        Roots[epoch] = root;
        Transactions++;
        return Task.FromResult<string?>("0xtx" + epoch);
    }

    public Task<long?> GetChainIdAsync(CancellationToken cancellationToken = default) => Task.FromResult<long?>(31337);
}

public sealed class FakeEventPublisher : IEpochEventPublisher
{
    public List<EpochClosedEvent> Published { get; } = [];

    public Task PublishAsync(EpochClosedEvent closed, CancellationToken cancellationToken = default)
    {
        Published.Add(closed);
        return Task.CompletedTask;
    }
}
