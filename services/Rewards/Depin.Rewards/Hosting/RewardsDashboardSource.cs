using Depin.Rewards.Anchoring;
using Depin.Rewards.Api;
using Depin.Rewards.Epochs;
using Depin.Rewards.Storage;
using Depin.ServiceDefaults.Admin;
using Microsoft.Extensions.Options;

namespace Depin.Rewards.Hosting;

/// <summary>The admin dashboard's "rewards" section: the open epoch, the latest closes and whether the chain is on.</summary>
internal sealed class RewardsDashboardSource(
    IEpochStore store,
    EpochClock clock,
    EpochCloser closer,
    IPayoutRootPublisher roots,
    IStateAnchorSink anchors,
    IOptions<RewardsOptions> options,
    TimeProvider time) : IDashboardSource
{
    public string Section => "rewards";

    public async Task<object> SnapshotAsync(CancellationToken cancellationToken)
    {
        long current = Math.Max(0, clock.EpochAt(time.GetUtcNow()));
        EpochWindow window = clock.Window(current);
        IReadOnlyList<EpochRecord> recent = await store.ListEpochsAsync(null, 5, cancellationToken).ConfigureAwait(false);
        return new
        {
            currentEpoch = new { epoch = current, start = window.Start, end = window.End, emission = closer.Schedule.AmountFor(current) },
            epochLength = options.Value.EpochLength,
            recentEpochs = recent.Select(RewardsApi.ToDto).ToArray(),
            chain = new
            {
                configured = options.Value.Chain.IsConfigured,
                distributor = roots.DistributorAddress,
                stateAnchoring = anchors.IsEnabled,
                anchorEveryBlocks = options.Value.Anchoring.EveryBlocks,
            },
        };
    }
}
