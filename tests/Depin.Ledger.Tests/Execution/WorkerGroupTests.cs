using Depin.Ledger.Execution;

namespace Depin.Ledger.Tests.Execution;

public sealed class WorkerGroupTests
{
    [Fact]
    public void Every_worker_runs_each_full_run_once_and_optional_runs_finish_their_shared_work_exactly_once()
    {
        const int Workers = 3;
        const int Runs = 2_000;
        const int Items = 64;
        using var group = new WorkerGroup(Workers);
        var fullRuns = new int[Workers];
        var optionalJoins = new int[Workers];
        var processed = new int[Runs * Items];
        for (var run = 0; run < Runs; run++)
        {
            if (run % 2 == 0)
            {
                var seen = new int[Workers];
                group.Run(worker => Interlocked.Increment(ref seen[worker]));
                Assert.All(seen, count => Assert.Equal(1, count));
                for (var w = 0; w < Workers; w++)
                {
                    fullRuns[w] += seen[w];
                }

                continue;
            }

            var next = 0;
            var offset = run * Items;
            group.RunWithOptionalHelpers(worker =>
            {
                Interlocked.Increment(ref optionalJoins[worker]);
                for (var item = Interlocked.Increment(ref next) - 1; item < Items; item = Interlocked.Increment(ref next) - 1)
                {
                    Interlocked.Increment(ref processed[offset + item]);
                }
            });

            // Whoever joined, the run's items are done (each once) when it returns.
            for (var item = 0; item < Items; item++)
            {
                Assert.Equal(1, Volatile.Read(ref processed[offset + item]));
            }
        }

        Assert.All(fullRuns, count => Assert.Equal(Runs / 2, count));
        Assert.Equal(Runs / 2, optionalJoins[0]);
        Assert.All(optionalJoins.Skip(1), count => Assert.InRange(count, 0, Runs / 2));
    }

    [Fact]
    public void Runs_taken_while_helpers_spin_leave_no_wake_ups_behind_and_sleeping_helpers_still_wake_for_the_next_run()
    {
        const int Workers = 2;
        using var group = new WorkerGroup(Workers);
        var total = 0;
        for (var run = 0; run < 5_000; run++)
        {
            group.Run(_ => Interlocked.Increment(ref total));
        }

        Assert.Equal(5_000 * Workers, total);

        // A release per run would be left in the semaphores of helpers that took their runs spinning, each one buying
        // the idle helper another spell of spinning; only a helper that sleeps is released.
        Assert.InRange(group.PendingWakeUps, 0, Workers - 1);
        for (var round = 0; round < 3; round++)
        {
            Thread.Sleep(20);
            Assert.Equal(0, group.PendingWakeUps);
            var seen = new int[Workers];
            group.Run(worker => Interlocked.Increment(ref seen[worker]));
            Assert.All(seen, count => Assert.Equal(1, count));
        }
    }

    [Fact]
    public void Helpers_held_awake_do_not_sleep_until_released_and_a_hold_ends_once()
    {
        using var group = new WorkerGroup(3);
        group.Run(_ => { });
        var ended = group.StayAwake();
        ended.Dispose();
        ended.Dispose();
        using (group.StayAwake())
        {
            group.Run(_ => { });
            var until = DateTime.UtcNow.AddMilliseconds(100);
            while (DateTime.UtcNow < until)
            {
                Assert.Equal(0, group.SleepingHelpers);
                Thread.Sleep(5);
            }
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (group.SleepingHelpers < 2 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        Assert.Equal(2, group.SleepingHelpers);
        var seen = new int[3];
        group.Run(worker => Interlocked.Increment(ref seen[worker]));
        Assert.All(seen, count => Assert.Equal(1, count));
    }
}
