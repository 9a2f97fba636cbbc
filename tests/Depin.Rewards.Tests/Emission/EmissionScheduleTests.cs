using Depin.Rewards.Emission;

namespace Depin.Rewards.Tests.Emission;

public class EmissionScheduleTests
{
    [Theory]
    [InlineData(0, 1_000_000)]
    [InlineData(9, 1_000_000)]
    [InlineData(10, 500_000)]
    [InlineData(19, 500_000)]
    [InlineData(20, 250_000)]
    [InlineData(30, 125_000)]
    public void Emission_halves_every_interval(long epoch, long expected)
    {
        var schedule = new EmissionSchedule(1_000_000, 10);

        Assert.Equal(expected, schedule.AmountFor(epoch));
    }

    [Fact]
    public void Odd_emission_halves_by_integer_division_and_reaches_zero()
    {
        var schedule = new EmissionSchedule(7, 1);

        Assert.Equal([7L, 3, 1, 0, 0], Enumerable.Range(0, 5).Select(e => schedule.AmountFor(e)));
        Assert.Equal(0, new EmissionSchedule(long.MaxValue, 1).AmountFor(63));
        Assert.Equal(1, new EmissionSchedule(long.MaxValue, 1).AmountFor(62));
    }

    [Fact]
    public void Cumulative_emission_sums_every_epoch_through_the_given_one()
    {
        var schedule = new EmissionSchedule(1_000, 3);

        long expected = Enumerable.Range(0, 8).Sum(e => schedule.AmountFor(e));

        Assert.Equal(expected, schedule.CumulativeThrough(7));
        Assert.Equal(1_000 * 3 + 500 * 3 + 250 * 2, schedule.CumulativeThrough(7));
    }

    [Fact]
    public void Split_gives_the_availability_pool_the_floor_and_the_work_pool_the_rest()
    {
        Assert.Equal((333L, 668L), new RewardSplit(3_333).Divide(1_001));
        Assert.Equal((0L, 1_001L), new RewardSplit(0).Divide(1_001));
        Assert.Equal((1_001L, 0L), new RewardSplit(10_000).Divide(1_001));
    }
}
