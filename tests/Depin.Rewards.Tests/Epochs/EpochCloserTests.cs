using Depin.Chain;
using Depin.Rewards.Emission;
using Depin.Rewards.Epochs;
using Depin.Rewards.Tests.Support;

namespace Depin.Rewards.Tests.Epochs;

public class EpochCloserTests
{
    [Fact]
    public async Task Closing_an_epoch_credits_every_provider_sets_the_root_and_publishes()
    {
        var h = new CloserHarness();
        h.SeedActivity(0, providers: 7);
        h.EndEpoch(0);

        EpochRecord record = await h.Closer.CloseEpochAsync(0);

        IReadOnlyList<ProviderReward> rewards = await h.Store.GetRewardsAsync(0);
        Assert.Equal(EpochStatus.Published, record.Status);
        Assert.Equal(1_000_003, rewards.Sum(r => r.Total));
        Assert.All(rewards, r => Assert.Equal(r.Total, h.Ledger.Balances[r.Account.ToLowerHex()]));
        Assert.Equal(PayoutTrees.Build(0, rewards).Root, h.Roots.Roots[0]);
        Assert.Equal(record.MerkleRoot, h.Roots.Roots[0].ToString());
        Assert.Equal("0xtx0", record.AnchorTransaction);
        Assert.Equal(0, Assert.Single(h.Events.Published).Epoch);
    }

    [Theory]
    [InlineData(CrashPoint.AfterComputed)]
    [InlineData(CrashPoint.MidCredit)]
    [InlineData(CrashPoint.AfterCreditedBeforeRecord)]
    [InlineData(CrashPoint.AfterRootSetBeforeRecord)]
    [InlineData(CrashPoint.AfterPublishedBeforeRecord)]
    public async Task Close_that_crashed_completes_on_the_next_run_without_paying_twice(CrashPoint crash)
    {
        var h = new CloserHarness(batchSize: 2);
        h.SeedActivity(0, providers: 7);
        h.EndEpoch(0);
        h.Crash = crash;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => h.Closer.CloseDueEpochsAsync());
        // Activity arriving late must not change a computed epoch.
        h.Recorder.RecordVerifiedWork(Addresses.Numbered(1), 1_000_000, h.Clock.Window(0).Start);
        int closed = await h.Closer.CloseDueEpochsAsync();

        Assert.Equal(1, closed);
        EpochRecord record = (await h.Store.GetEpochAsync(0))!;
        IReadOnlyList<ProviderReward> rewards = await h.Store.GetRewardsAsync(0);
        Assert.Equal(EpochStatus.Published, record.Status);
        Assert.Equal(1_000_003, rewards.Sum(r => r.Total));
        Assert.All(rewards, r =>
        {
            Assert.Equal(1, h.Ledger.PaidCredits[r.Account.ToLowerHex()]);
            Assert.Equal(r.Total, h.Ledger.Balances[r.Account.ToLowerHex()]);
        });
        Assert.Equal(1, h.Roots.Transactions);
        Assert.Equal(record.MerkleRoot, h.Roots.Roots[0].ToString());
        Assert.All(h.Events.Published, e => Assert.Equal(0, e.Epoch));
        Assert.InRange(h.Events.Published.Count, 1, 2);
    }

    [Fact]
    public async Task Rerunning_a_closed_epoch_changes_nothing()
    {
        var h = new CloserHarness();
        h.SeedActivity(0, providers: 4);
        h.EndEpoch(0);
        await h.Closer.CloseEpochAsync(0);
        int submits = h.Ledger.SubmitCalls;

        await h.Closer.CloseEpochAsync(0);

        Assert.Equal(submits, h.Ledger.SubmitCalls);
        Assert.Single(h.Events.Published);
    }

    [Fact]
    public async Task Underfunded_reward_pool_leaves_the_epoch_computed_and_a_later_run_pays_only_the_unpaid()
    {
        var h = new CloserHarness(rewardPool: 200_000, batchSize: 3);
        h.SeedActivity(0, providers: 6);
        h.EndEpoch(0);

        var error = await Assert.ThrowsAsync<RewardCreditException>(() => h.Closer.CloseEpochAsync(0));
        Assert.Equal("insufficient-funds", error.FirstStatus);
        Assert.Equal(EpochStatus.Computed, (await h.Store.GetEpochAsync(0))!.Status);
        Assert.Equal(1, (await h.Store.GetEpochAsync(0))!.CreditAttempt);

        h.Ledger.RewardPool += 10_000_000;
        await h.Closer.CloseEpochAsync(0);

        IReadOnlyList<ProviderReward> rewards = await h.Store.GetRewardsAsync(0);
        Assert.All(rewards, r =>
        {
            Assert.Equal(1, h.Ledger.PaidCredits[r.Account.ToLowerHex()]);
            Assert.Equal(r.Total, h.Ledger.Balances[r.Account.ToLowerHex()]);
        });
    }

    [Fact]
    public async Task Due_epochs_close_in_order_and_the_open_epoch_waits()
    {
        var h = new CloserHarness();
        h.SeedActivity(0, providers: 2);
        h.SeedActivity(2, providers: 3);
        h.Time.SetUtcNow(h.Clock.Window(3).Start + TimeSpan.FromSeconds(5));

        int closed = await h.Closer.CloseDueEpochsAsync();

        Assert.Equal(3, closed);
        Assert.Equal([0L, 1, 2], h.Events.Published.Select(e => e.Epoch));
        Assert.Equal(0, (await h.Store.GetEpochAsync(1))!.ProviderCount);
        Assert.Equal(h.Closer.Schedule.AmountFor(1), (await h.Store.GetEpochAsync(1))!.Unallocated);
        Assert.Null(await h.Store.GetEpochAsync(3));
        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Closer.CloseEpochAsync(3));
    }

    [Fact]
    public void Credit_ids_are_deterministic_version_5_uuids_unique_per_epoch_account_and_attempt()
    {
        Address a = Addresses.Numbered(1);

        Guid id = RewardCreditIds.For(3, a, 0);

        Assert.Equal(id, RewardCreditIds.For(3, a, 0));
        Assert.Equal(5, id.Version);
        Assert.NotEqual(id, RewardCreditIds.For(4, a, 0));
        Assert.NotEqual(id, RewardCreditIds.For(3, Addresses.Numbered(2), 0));
        Assert.NotEqual(id, RewardCreditIds.For(3, a, 1));
    }
}
