using Depin.Chain;
using Depin.Rewards.Emission;
using Depin.Rewards.Epochs;
using Depin.Rewards.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Depin.Rewards.Tests.Emission;

public class EpochCalculatorTests
{
    private static ProviderActivity Uptime(int n, long seconds, long capability) => new(Addresses.Numbered(n), seconds, capability, 0, 0);

    private static ProviderActivity Work(int n, long units, int failed = 0) => new(Addresses.Numbered(n), 0, 0, units, failed);

    [Fact]
    public void Amounts_sum_exactly_to_the_emission()
    {
        ProviderActivity[] activity =
        [
            new(Addresses.Numbered(1), 3_600, 7, 13, 0),
            new(Addresses.Numbered(2), 1_234, 11, 0, 0),
            new(Addresses.Numbered(3), 17, 3, 999, 0),
        ];

        EpochAllocation allocation = EpochCalculator.Compute(5, 1_000_003, new RewardSplit(4_000), activity);

        Assert.Equal(1_000_003, allocation.Rewards.Sum(r => r.Total));
        Assert.Equal(allocation.AvailabilityPool, allocation.Rewards.Sum(r => r.Availability));
        Assert.Equal(allocation.WorkPool, allocation.Rewards.Sum(r => r.Work));
        Assert.Equal(0, allocation.Unallocated);
    }

    [Fact]
    public void Rounding_dust_goes_to_the_largest_remainders_then_to_the_lower_address()
    {
        // 10 units over three equal weights: floors 3, 3, 3; the one leftover unit goes to the lowest address (equal remainders).
        EpochAllocation equal = EpochCalculator.Compute(0, 10, new RewardSplit(10_000), [Uptime(3, 1, 1), Uptime(1, 1, 1), Uptime(2, 1, 1)]);
        Assert.Equal([4L, 3, 3], equal.Rewards.Select(r => r.Total));
        Assert.Equal(Addresses.Numbered(1), equal.Rewards[0].Account);

        // 10 over weights 1, 2, 4 (W = 7): exact 1.43, 2.86, 5.71 -> floors 1, 2, 5, leftover 2 to remainders .86 then .71.
        EpochAllocation weighted = EpochCalculator.Compute(0, 10, new RewardSplit(10_000), [Uptime(1, 1, 1), Uptime(2, 2, 1), Uptime(3, 4, 1)]);
        Assert.Equal([1L, 3, 6], weighted.Rewards.Select(r => r.Total));
    }

    [Fact]
    public void Availability_weight_is_uptime_times_capability()
    {
        EpochAllocation allocation = EpochCalculator.Compute(0, 900, new RewardSplit(10_000), [Uptime(1, 100, 2), Uptime(2, 50, 8)]);

        Assert.Equal([300L, 600], allocation.Rewards.Select(r => r.Availability));
    }

    [Fact]
    public void Provider_with_a_failed_verification_gets_nothing_from_the_work_pool_but_keeps_availability()
    {
        ProviderActivity[] activity =
        [
            new(Addresses.Numbered(1), 100, 1, 50, 0),
            new(Addresses.Numbered(2), 100, 1, 50, 1),
        ];

        EpochAllocation allocation = EpochCalculator.Compute(0, 1_000, new RewardSplit(5_000), activity);

        Assert.Equal(new ProviderReward(Addresses.Numbered(1), 250, 500), allocation.Rewards[0]);
        Assert.Equal(new ProviderReward(Addresses.Numbered(2), 250, 0), allocation.Rewards[1]);
    }

    [Fact]
    public void A_cheater_flagged_in_any_duplicate_entry_forfeits_all_its_work()
    {
        ProviderActivity[] activity = [Work(1, 10), Work(2, 10), Work(2, 30, failed: 1), Work(2, 5)];

        EpochAllocation allocation = EpochCalculator.Compute(0, 100, new RewardSplit(0), activity);

        ProviderReward only = Assert.Single(allocation.Rewards);
        Assert.Equal(new ProviderReward(Addresses.Numbered(1), 0, 100), only);
    }

    [Fact]
    public void Work_pool_nobody_earned_moves_to_the_availability_pool()
    {
        EpochAllocation allocation = EpochCalculator.Compute(0, 1_000, new RewardSplit(3_000), [Uptime(1, 10, 1), Work(2, 7, failed: 2)]);

        Assert.Equal(1_000, allocation.AvailabilityPool);
        Assert.Equal(0, allocation.WorkPool);
        Assert.Equal(new ProviderReward(Addresses.Numbered(1), 1_000, 0), Assert.Single(allocation.Rewards));
    }

    [Fact]
    public void Emission_stays_unallocated_when_nobody_earned_anything()
    {
        EpochAllocation allocation = EpochCalculator.Compute(0, 1_000, new RewardSplit(3_000), [Work(2, 7, failed: 1), Uptime(3, 0, 5)]);

        Assert.Empty(allocation.Rewards);
        Assert.Equal(1_000, allocation.Unallocated);
        Assert.Equal(0, allocation.Distributed);
    }

    [Fact]
    public void Huge_weights_are_scaled_and_still_sum_exactly()
    {
        ProviderActivity[] activity = [.. Enumerable.Range(1, 1_000).Select(i => new ProviderActivity(Addresses.Numbered(i), ProviderActivity.MaxInput, ProviderActivity.MaxInput - i, ProviderActivity.MaxInput, 0))];

        EpochAllocation allocation = EpochCalculator.Compute(0, long.MaxValue, new RewardSplit(5_000), activity);

        Assert.Equal(long.MaxValue, allocation.Rewards.Sum(r => (decimal)r.Total));
    }

    [Fact]
    public void Rewards_are_sorted_by_account_and_omit_providers_with_nothing()
    {
        EpochAllocation allocation = EpochCalculator.Compute(0, 100, new RewardSplit(10_000), [Uptime(9, 1, 1), Uptime(4, 0, 0), Uptime(2, 1, 1)]);

        Assert.Equal([Addresses.Numbered(2), Addresses.Numbered(9)], allocation.Rewards.Select(r => r.Account));
    }

    [Property(MaxTest = 300)]
    public Property Amounts_always_sum_to_the_emission(NonNegativeInt emissionSeed, int bps, (byte Uptime, byte Capability, byte Work, bool Failed)[] providers)
    {
        long emission = (long)emissionSeed.Get * 7_919;
        var split = new RewardSplit(Math.Abs(bps % 10_001));
        ProviderActivity[] activity = [.. providers.Select((p, i) => new ProviderActivity(Addresses.Numbered(i % 50), p.Uptime, p.Capability, p.Work, p.Failed ? 1 : 0))];

        EpochAllocation allocation = EpochCalculator.Compute(1, emission, split, activity);

        long paid = allocation.Rewards.Sum(r => r.Total);
        bool nobody = allocation.Rewards.Count == 0;
        return (paid + allocation.Unallocated == emission
                && allocation.Rewards.All(r => r.Availability >= 0 && r.Work >= 0 && r.Total > 0)
                && (allocation.Unallocated == 0 || nobody))
            .Label($"emission {emission}, paid {paid}, unallocated {allocation.Unallocated}");
    }

    [Property(MaxTest = 200)]
    public Property Largest_remainder_shares_are_within_one_unit_of_the_exact_quota(PositiveInt pool, NonNegativeInt[] weights)
    {
        UInt128[] w = [.. weights.Select(x => (UInt128)(ulong)x.Get)];
        long[] shares = new long[w.Length];
        UInt128 total = w.Aggregate(UInt128.Zero, (a, b) => a + b);

        bool any = LargestRemainder.Apportion(pool.Get, w, shares);

        if (!any)
        {
            return (total == UInt128.Zero && shares.All(s => s == 0)).ToProperty();
        }

        bool withinOne = w.Select((wi, i) =>
        {
            decimal exact = (decimal)pool.Get * (decimal)(ulong)wi / (decimal)(ulong)total;
            return Math.Abs(shares[i] - exact) < 1m;
        }).All(x => x);
        return (shares.Sum() == pool.Get && withinOne).ToProperty();
    }

    [Property(MaxTest = 300)]
    public Property Apportionment_equals_the_big_integer_reference(PositiveInt pool, uint[] weights, bool manyTies)
    {
        UInt128[] w = [.. weights.Select(x => (UInt128)(manyTies ? x % 4 : x))];
        long[] fast = new long[w.Length];
        LargestRemainder.Apportion(pool.Get, w, fast);

        return fast.SequenceEqual(LargestRemainder.ApportionReference(pool.Get, w)).ToProperty();
    }
}
