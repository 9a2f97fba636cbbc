using System.Diagnostics;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Contracts.Rewards;
using Depin.Rewards.Anchoring;
using Depin.Rewards.Emission;
using Depin.Rewards.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Rewards.Epochs;

/// <summary>A reward credit the ledger refused (for instance an under-funded reward pool); the epoch stays computed and the next run retries.</summary>
public sealed class RewardCreditException(long epoch, int failed, string firstStatus)
    : Exception($"Epoch {epoch}: {failed} reward credit(s) failed on the ledger (first status: {firstStatus}); the close resumes at the next run.")
{
    public long Epoch { get; } = epoch;

    public int Failed { get; } = failed;

    public string FirstStatus { get; } = firstStatus;
}

/// <summary>
/// Closes epochs: computed → (backed by tokens minted into the Vault, when there is one) credited → anchored → published, persisting each step so a close that crashed halfway
/// completes on the next run. Computing happens once (the allocation is persisted and never recomputed); credits use
/// deterministic ledger transaction ids (<see cref="RewardCreditIds"/>); the payout root is set only if the contract lacks it.
/// </summary>
public sealed partial class EpochCloser(
    IEpochStore store,
    IEpochActivitySource activity,
    ILedgerClient ledger,
    IPayoutRootPublisher roots,
    IEpochEventPublisher events,
    EpochClock clock,
    PayoutTreeCache trees,
    IOptions<RewardsOptions> options,
    TimeProvider time,
    ILogger<EpochCloser> logger,
    IEmissionBacking? emissions = null)
{
    /// <summary>Upper bound of epochs closed by one run (catch-up after downtime continues at the next run).</summary>
    public const int MaxEpochsPerRun = 1_000;

    /// <summary>Credit batches submitted to the ledger before waiting for the oldest.</summary>
    public const int MaxBatchesInFlight = 4;

    private static readonly ActivitySource Tracing = new("Depin.Rewards");
    private readonly SemaphoreSlim _gate = new(1, 1);

    public EmissionSchedule Schedule { get; } = new(options.Value.InitialEmissionPerEpoch, options.Value.HalvingIntervalEpochs);

    public RewardSplit Split { get; } = new(options.Value.AvailabilityBasisPoints);

    /// <summary>Closes every epoch that has ended and is not yet published, oldest first; returns how many it finished.</summary>
    public async Task<int> CloseDueEpochsAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long last = clock.LastEndedEpoch(time.GetUtcNow());
            long next = await store.NextEpochToCloseAsync(cancellationToken).ConfigureAwait(false);
            int closed = 0;
            for (long epoch = next; epoch <= last && closed < MaxEpochsPerRun; epoch++)
            {
                await CloseCoreAsync(epoch, cancellationToken).ConfigureAwait(false);
                closed++;
            }

            return closed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs (or resumes) the close of one ended epoch and returns its final record.</summary>
    public async Task<EpochRecord> CloseEpochAsync(long epoch, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CloseCoreAsync(epoch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<EpochRecord> CloseCoreAsync(long epoch, CancellationToken cancellationToken)
    {
        EpochWindow window = clock.Window(epoch);
        if (window.End > time.GetUtcNow())
        {
            throw new InvalidOperationException($"Epoch {epoch} ends at {window.End:O}; it cannot close before then.");
        }

        using Activity? span = Tracing.StartActivity("rewards.close-epoch");
        span?.SetTag("epoch", epoch);
        long started = Stopwatch.GetTimestamp();

        EpochRecord record = await store.GetEpochAsync(epoch, cancellationToken).ConfigureAwait(false)
            ?? await ComputeAsync(window, cancellationToken).ConfigureAwait(false);

        if (record.Status < EpochStatus.Credited)
        {
            IReadOnlyList<ProviderReward> rewards = await store.GetRewardsAsync(epoch, cancellationToken).ConfigureAwait(false);
            if (emissions is { IsEnabled: true })
            {
                await emissions.BackAsync(epoch, record.Distributed, cancellationToken).ConfigureAwait(false);
            }

            await CreditAsync(record, rewards, cancellationToken).ConfigureAwait(false);
            await store.AdvanceAsync(epoch, EpochStatus.Credited, cancellationToken: cancellationToken).ConfigureAwait(false);
            LogCredited(epoch, rewards.Count);
            RewardsMetrics.Credited(rewards.Sum(r => r.Total));
        }

        if (record.Status < EpochStatus.Anchored)
        {
            string? tx = null;
            if (record.MerkleRoot is not null && roots.IsEnabled)
            {
                tx = await roots.PublishAsync(epoch, Hash32.Parse(record.MerkleRoot), cancellationToken).ConfigureAwait(false);
                LogRootSet(epoch, record.MerkleRoot, tx ?? "(already set)");
            }

            await store.AdvanceAsync(epoch, EpochStatus.Anchored, anchorTransaction: tx, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (record.Status < EpochStatus.Published)
        {
            EpochRecord anchored = await store.GetEpochAsync(epoch, cancellationToken).ConfigureAwait(false) ?? record;
            await events.PublishAsync(
                new EpochClosedEvent(epoch, anchored.Start, anchored.End, anchored.Emission, anchored.Distributed, anchored.ProviderCount, anchored.MerkleRoot, anchored.AnchorTransaction),
                cancellationToken).ConfigureAwait(false);
            await store.AdvanceAsync(epoch, EpochStatus.Published, closedAt: time.GetUtcNow(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        RewardsMetrics.Closed(Stopwatch.GetElapsedTime(started));
        return await store.GetEpochAsync(epoch, cancellationToken).ConfigureAwait(false) ?? record;
    }

    private async Task<EpochRecord> ComputeAsync(EpochWindow window, CancellationToken cancellationToken)
    {
        IReadOnlyList<ProviderActivity> inputs = await activity.GetActivityAsync(window, cancellationToken).ConfigureAwait(false);
        EpochAllocation allocation = EpochCalculator.Compute(window.Epoch, Schedule.AmountFor(window.Epoch), Split, inputs);
        PayoutMerkleTree? tree = allocation.Rewards.Count == 0 ? null : PayoutTrees.Build(window.Epoch, allocation.Rewards);
        var record = EpochRecord.From(allocation, window, tree?.Root.ToString(), time.GetUtcNow()) with { WorkUnits = inputs.Sum(a => a.VerifiedWorkUnits) };
        EpochRecord stored = await store.SaveComputedAsync(record, allocation.Rewards, cancellationToken).ConfigureAwait(false);
        if (tree is not null && stored.MerkleRoot == record.MerkleRoot)
        {
            trees.Add(tree);
        }

        LogComputed(window.Epoch, allocation.Emission, allocation.Rewards.Count, allocation.Unallocated);
        return stored;
    }

    private async Task CreditAsync(EpochRecord record, IReadOnlyList<ProviderReward> rewards, CancellationToken cancellationToken)
    {
        int attempt = record.CreditAttempt;
        IReadOnlyList<ProviderReward> pending = attempt == 0 ? rewards : await UnpaidAsync(record.Epoch, rewards, attempt, cancellationToken).ConfigureAwait(false);
        int batchSize = Math.Max(1, options.Value.CreditBatchSize);
        int failed = 0;
        string? firstStatus = null;

        // A few batches in flight let the ledger group-commit one while the next is being prepared; order does not matter.
        var inFlight = new Queue<Task<IReadOnlyList<ReceiptDto>>>();
        for (int start = 0; start < pending.Count; start += batchSize)
        {
            if (inFlight.Count == MaxBatchesInFlight)
            {
                Tally(await inFlight.Dequeue().ConfigureAwait(false), ref failed, ref firstStatus);
            }

            inFlight.Enqueue(ledger.SubmitAsync(CreditBatch(record.Epoch, attempt, pending, start, Math.Min(pending.Count, start + batchSize)), cancellationToken));
        }

        while (inFlight.Count > 0)
        {
            Tally(await inFlight.Dequeue().ConfigureAwait(false), ref failed, ref firstStatus);
        }

        if (failed > 0)
        {
            await store.IncrementCreditAttemptAsync(record.Epoch, attempt, cancellationToken).ConfigureAwait(false);
            throw new RewardCreditException(record.Epoch, failed, firstStatus!);
        }
    }

    internal static LedgerTransactionDto[] CreditBatch(long epoch, int attempt, IReadOnlyList<ProviderReward> rewards, int from, int to)
    {
        var batch = new LedgerTransactionDto[to - from];
        for (int i = from; i < to; i++)
        {
            ProviderReward reward = rewards[i];
            batch[i - from] = new LedgerTransactionDto(
                RewardCreditIds.For(epoch, reward.Account, attempt).ToString(),
                "reward-credit",
                To: reward.Account.ToLowerHex(),
                Amount: reward.Total);
        }

        return batch;
    }

    private static void Tally(IReadOnlyList<ReceiptDto> receipts, ref int failed, ref string? firstStatus)
    {
        foreach (ReceiptDto receipt in receipts)
        {
            if (!receipt.Succeeded)
            {
                failed++;
                firstStatus ??= receipt.Status;
            }
        }
    }

    /// <summary>The rewards no earlier attempt paid: only asked after a failed attempt, so it may be slow.</summary>
    private async Task<IReadOnlyList<ProviderReward>> UnpaidAsync(long epoch, IReadOnlyList<ProviderReward> rewards, int attempt, CancellationToken cancellationToken)
    {
        bool[] paid = new bool[rewards.Count];
        await Parallel.ForAsync(0, rewards.Count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            for (int a = 0; a < attempt; a++)
            {
                ReceiptDto? receipt = await ledger.GetReceiptAsync(RewardCreditIds.For(epoch, rewards[i].Account, a).ToString(), ct).ConfigureAwait(false);
                if (receipt is { Succeeded: true })
                {
                    paid[i] = true;
                    return;
                }
            }
        }).ConfigureAwait(false);

        var unpaid = new List<ProviderReward>();
        for (int i = 0; i < rewards.Count; i++)
        {
            if (!paid[i])
            {
                unpaid.Add(rewards[i]);
            }
        }

        return unpaid;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch {Epoch} computed: emission {Emission}, {ProviderCount} providers rewarded, {Unallocated} unallocated")]
    private partial void LogComputed(long epoch, long emission, int providerCount, long unallocated);

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch {Epoch} credited to {ProviderCount} providers on the ledger")]
    private partial void LogCredited(long epoch, int providerCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch {Epoch} payout root {Root} set on the distributor ({Transaction})")]
    private partial void LogRootSet(long epoch, string root, string transaction);
}
