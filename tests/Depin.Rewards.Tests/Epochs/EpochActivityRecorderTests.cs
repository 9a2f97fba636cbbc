using Depin.Rewards.Epochs;
using Depin.Rewards.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Depin.Rewards.Tests.Epochs;

public class EpochActivityRecorderTests
{
    private static readonly DateTimeOffset Genesis = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Records_land_in_the_epoch_of_their_time_and_aggregate_per_provider()
    {
        var clock = new EpochClock(Genesis, TimeSpan.FromHours(1));
        var time = new FakeTimeProvider(Genesis.AddMinutes(10));
        var recorder = new EpochActivityRecorder(clock, time);

        recorder.RecordUptime(Addresses.Numbered(1), 600, 10);
        recorder.RecordUptime(Addresses.Numbered(1), 600, 30);
        recorder.RecordVerifiedWork(Addresses.Numbered(1), 5);
        recorder.RecordVerifiedWork(Addresses.Numbered(1), 6);
        recorder.RecordFailedVerification(Addresses.Numbered(2));
        recorder.RecordVerifiedWork(Addresses.Numbered(1), 100, Genesis.AddHours(1));

        IReadOnlyList<ProviderActivity> epoch0 = await recorder.GetActivityAsync(clock.Window(0));
        IReadOnlyList<ProviderActivity> epoch1 = await recorder.GetActivityAsync(clock.Window(1));

        Assert.Equal(new ProviderActivity(Addresses.Numbered(1), 1_200, 20, 11, 0), epoch0.Single(a => a.PayoutAddress == Addresses.Numbered(1)));
        Assert.Equal(new ProviderActivity(Addresses.Numbered(2), 0, 0, 0, 1), epoch0.Single(a => a.PayoutAddress == Addresses.Numbered(2)));
        Assert.Equal(100, Assert.Single(epoch1).VerifiedWorkUnits);
    }

    [Fact]
    public void Epoch_clock_numbers_windows_from_genesis()
    {
        var clock = new EpochClock(Genesis, TimeSpan.FromSeconds(15));

        Assert.Equal(0, clock.EpochAt(Genesis));
        Assert.Equal(3, clock.EpochAt(Genesis.AddSeconds(59)));
        Assert.Equal(-1, clock.EpochAt(Genesis.AddSeconds(-1)));
        Assert.Equal(new EpochWindow(4, Genesis.AddSeconds(60), Genesis.AddSeconds(75)), clock.Window(4));
        Assert.Equal(2, clock.LastEndedEpoch(Genesis.AddSeconds(45)));
        Assert.Equal(Genesis.AddSeconds(45), EpochClock.AlignDown(Genesis.AddSeconds(59), TimeSpan.FromSeconds(15)));
    }
}
