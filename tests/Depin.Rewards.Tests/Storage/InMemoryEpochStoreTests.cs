using Depin.Chain;
using Depin.Rewards.Emission;
using Depin.Rewards.Epochs;
using Depin.Rewards.Storage;
using Depin.Rewards.Tests.Support;

namespace Depin.Rewards.Tests.Storage;

public class InMemoryEpochStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static EpochRecord Record(long epoch, int providers) =>
        new(epoch, Start.AddHours(epoch), Start.AddHours(epoch + 1), 1_000, 400, 600, 0, providers, null, EpochStatus.Computed, 0, null, Start.AddHours(epoch + 1), null);

    [Fact]
    public async Task Provider_rewards_count_credited_epochs_in_the_total_and_the_others_as_pending()
    {
        var store = new InMemoryEpochStore();
        Address provider = Addresses.Numbered(1);
        Address other = Addresses.Numbered(2);
        await store.SaveComputedAsync(Record(0, 2), [new ProviderReward(provider, 10, 5), new ProviderReward(other, 7, 0)]);
        await store.SaveComputedAsync(Record(1, 1), [new ProviderReward(other, 1, 1)]);
        await store.SaveComputedAsync(Record(2, 1), [new ProviderReward(provider, 100, 0)]);
        await store.AdvanceAsync(0, EpochStatus.Credited);

        ProviderRewardHistory first = await store.GetProviderRewardsAsync(provider, 1);
        await store.AdvanceAsync(2, EpochStatus.Published);
        ProviderRewardHistory all = await store.GetProviderRewardsAsync(provider, 10);

        Assert.Equal((15, 100), (first.Credited, first.Pending));
        Assert.Equal(new ProviderEpochReward(2, new ProviderReward(provider, 100, 0), Credited: false), Assert.Single(first.Epochs));
        Assert.Equal((115, 0), (all.Credited, all.Pending));
        Assert.Equal([2L, 0L], all.Epochs.Select(e => e.Epoch));
        Assert.All(all.Epochs, e => Assert.True(e.Credited));
    }
}
