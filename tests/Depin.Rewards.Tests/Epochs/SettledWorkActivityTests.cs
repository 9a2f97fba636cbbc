using Depin.Contracts.Ledger;
using Depin.Rewards.Epochs;
using Depin.Rewards.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Depin.Rewards.Tests.Epochs;

public class SettledWorkActivityTests
{
    private static readonly DateTimeOffset Genesis = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Work_is_what_the_ledger_settled_in_the_window_and_uptime_and_failures_come_from_events()
    {
        var clock = new EpochClock(Genesis, TimeSpan.FromHours(1));
        var recorder = new EpochActivityRecorder(clock, new FakeTimeProvider(Genesis.AddMinutes(10)));
        recorder.RecordUptime(Addresses.Numbered(1), 600, 10);
        recorder.RecordVerifiedWork(Addresses.Numbered(1), 999);
        recorder.RecordFailedVerification(Addresses.Numbered(2));
        var pages = new[]
        {
            Page([Job("settled", 1, 40), Job("cancelled", 1, 7), Job("settled", 3, 5)], next: 3),
            Page([Job("settled", 1, 2), Job("failed", 2, 9)], next: null),
        };
        var asked = new List<(DateTimeOffset From, DateTimeOffset To, int Offset)>();
        var ledger = new LedgerSettledWork((from, to, offset, _) =>
        {
            asked.Add((from, to, offset));
            return Task.FromResult(pages[asked.Count - 1]);
        });

        var activity = await new SettledWorkActivity(recorder, ledger).GetActivityAsync(clock.Window(0));

        Assert.Equal([(Genesis, Genesis.AddHours(1), 0), (Genesis, Genesis.AddHours(1), 3)], asked);
        Assert.Equal(new ProviderActivity(Addresses.Numbered(1), 600, 10, 42, 0), activity.Single(a => a.PayoutAddress == Addresses.Numbered(1)));
        Assert.Equal(new ProviderActivity(Addresses.Numbered(2), 0, 0, 0, 1), activity.Single(a => a.PayoutAddress == Addresses.Numbered(2)));
        Assert.Equal(new ProviderActivity(Addresses.Numbered(3), 0, 0, 5, 0), activity.Single(a => a.PayoutAddress == Addresses.Numbered(3)));
    }

    [Fact]
    public async Task A_window_the_ledger_can_still_commit_into_is_refused_so_the_close_retries()
    {
        var clock = new EpochClock(Genesis, TimeSpan.FromHours(1));
        var ledger = new LedgerSettledWork((_, _, _, _) => Task.FromResult(new FinishedJobsDto([Job("settled", 1, 40)], null, 7, Genesis.AddMinutes(59))));

        await Assert.ThrowsAsync<SettledWorkNotFinalException>(() => ledger.GetSettledUnitsAsync(clock.Window(0)));
    }

    private static FinishedJobsDto Page(JobRecordDto[] jobs, int? next) => new(jobs, next, 7, Genesis.AddHours(2));

    private static JobRecordDto Job(string status, int provider, long units) => new(
        Guid.NewGuid().ToString(), status, Addresses.Numbered(90).ToLowerHex(), status == "cancelled" ? null : Addresses.Numbered(provider).ToLowerHex(), null,
        3, new string('a', 64), null, units, 1_000, 0, 400, 10, 1, 1, 1, Genesis, Genesis.AddHours(1), null, Genesis.AddMinutes(30), 7);
}
