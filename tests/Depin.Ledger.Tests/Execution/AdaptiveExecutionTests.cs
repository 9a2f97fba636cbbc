using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;

namespace Depin.Ledger.Tests.Execution;

public sealed class AdaptiveExecutionTests
{
    private static readonly ExecutionSettings Settings = new(UnbondingDelayMs: 2_000);

    [Theory]
    [InlineData(3)]
    [InlineData(2_000)]
    public void Switching_between_executors_gives_the_sequential_state_and_receipts_and_measures_both(int accounts)
    {
        var sequentialStore = new AccountStore();
        var adaptiveStore = new AccountStore();
        var sequential = new SequentialExecutor(Settings);
        using var adaptive = new AdaptiveExecutor([new SequentialExecutor(Settings), new PipelinedExecutor(Settings, 2), new ScheduledExecutor(Settings, 2)], threshold: 256);
        var expected = new BlockOutput();
        var actual = new BlockOutput();
        var sequentialTree = new LedgerStateTree();
        var adaptiveTree = new LedgerStateTree();
        var genesis = RandomBlocks.Genesis(accounts, 5_000);
        sequential.Execute(sequentialStore, genesis, 1, expected);
        adaptive.Execute(adaptiveStore, genesis, 1, 0, actual);
        var random = new Random(accounts);
        var jobs = new List<Depin.Ledger.Transactions.TxId>();
        const int Blocks = 3 * AdaptiveExecutor.ExploreEvery;
        for (var height = 2; height < 2 + Blocks; height++)
        {
            var block = RandomBlocks.Block(random, random.Next(2) == 0 ? 100 : 1_500, accounts, jobs);
            sequential.Execute(sequentialStore, block, height, height * 1_000, expected);
            adaptive.Execute(adaptiveStore, block, height, height * 1_000, actual);

            Assert.Equal(expected.Statuses.AsSpan(0, block.Length).ToArray(), actual.Statuses.AsSpan(0, block.Length).ToArray());
            Assert.Equal(expected.ReceiptsRoot(), actual.ReceiptsRoot());
            Assert.Equal(sequentialTree.Update(sequentialStore), adaptiveTree.Update(adaptiveStore));
        }

        // Every candidate ran large blocks (the warm-up, then one exploration every ExploreEvery); small ones ran sequentially.
        Assert.All(adaptive.Samples, samples => Assert.True(samples >= AdaptiveExecutor.WarmUpSamples, $"{samples} samples"));
        Assert.True(adaptive.Samples.Sum() < Blocks, "the blocks of 100 ran on the sequential executor without being counted");
    }

    [Fact]
    public void A_candidate_far_slower_than_the_preferred_one_is_measured_rarely_but_still_measured()
    {
        const int Blocks = 3 * AdaptiveExecutor.FarBehindExploreEvery;
        var store = new AccountStore();
        var output = new BlockOutput();
        using var adaptive = new AdaptiveExecutor([new SequentialExecutor(Settings), new SlowExecutor(new SequentialExecutor(Settings), 200)], threshold: 1);
        adaptive.Execute(store, RandomBlocks.Genesis(10, 5_000), 1, 0, output);
        var random = new Random(5);
        for (var height = 2; height < 2 + Blocks; height++)
        {
            adaptive.Execute(store, RandomBlocks.Block(random, 20, 10, []), height, height * 1_000, output);
        }

        Assert.Equal(0, adaptive.Preferred);

        // After its warm-up samples and FarBehindAfter measurements far behind, once per FarBehindExploreEvery blocks instead of once per ExploreEvery.
        Assert.InRange(
            adaptive.Samples[1],
            AdaptiveExecutor.WarmUpSamples + AdaptiveExecutor.FarBehindAfter + 1,
            AdaptiveExecutor.WarmUpSamples + AdaptiveExecutor.FarBehindAfter + (Blocks / AdaptiveExecutor.FarBehindExploreEvery) + 1);
    }

    [Fact]
    public void A_candidate_close_behind_the_preferred_one_is_measured_often()
    {
        const int Blocks = 200;
        var store = new AccountStore();
        var output = new BlockOutput();

        // Blocks of 20 transfers take microseconds: the waits make the contender 1.3x slower, clearly but not far behind.
        using var adaptive = new AdaptiveExecutor([new SlowExecutor(new SequentialExecutor(Settings), 200), new SlowExecutor(new SequentialExecutor(Settings), 260)], threshold: 1);
        adaptive.Execute(store, RandomBlocks.Genesis(10, 5_000), 1, 0, output);
        var random = new Random(6);
        for (var height = 2; height < 2 + Blocks; height++)
        {
            adaptive.Execute(store, RandomBlocks.Block(random, 20, 10, []), height, height * 1_000, output);
        }

        // Every CloseExploreEvery blocks (every ExploreEvery before: about 15 samples here), the first preferred.
        Assert.Equal(0, adaptive.Preferred);
        Assert.True(adaptive.Samples[1] >= Blocks / (2 * AdaptiveExecutor.CloseExploreEvery), $"{adaptive.Samples[1]} samples of {Blocks} blocks");
    }

    [Fact]
    public void A_candidate_slow_only_while_warming_up_takes_over_once_it_is_faster()
    {
        const int Blocks = 120;
        var store = new AccountStore();
        var output = new BlockOutput();

        // The second candidate is slowest while warming up (as code the JIT has not tiered yet), faster afterwards.
        using var adaptive = new AdaptiveExecutor([new SlowExecutor(new SequentialExecutor(Settings), 300), new SlowExecutor(new SequentialExecutor(Settings), 150, slowFirst: 3)], threshold: 1);
        adaptive.Execute(store, RandomBlocks.Genesis(10, 5_000), 1, 0, output);
        var random = new Random(8);
        for (var height = 2; height < 2 + Blocks; height++)
        {
            // Runs of ten blocks of 10 and of 40 transfers alternate: the time per transaction swings fourfold between runs.
            adaptive.Execute(store, RandomBlocks.Block(random, height / 10 % 2 == 0 ? 10 : 40, 10, []), height, height * 1_000, output);
        }

        Assert.Equal(1, adaptive.Preferred);
        Assert.True(adaptive.Samples[1] > Blocks / 2, $"{adaptive.Samples[1]} of {Blocks} blocks on the faster candidate");
    }

    /// <summary>The sequential executor, then a busy wait: behind it on any block.</summary>
    private sealed class SlowExecutor(SequentialExecutor inner, int extraMicroseconds, int slowFirst = 0) : IBlockExecutor
    {
        private int _calls;

        public void Execute(AccountStore store, ReadOnlyMemory<Depin.Ledger.Transactions.Transaction> block, long height, long timestampMs, BlockOutput output)
        {
            inner.Execute(store, block, height, timestampMs, output);
            var wait = _calls++ < slowFirst ? 4 * extraMicroseconds : extraMicroseconds;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            while (System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMicroseconds < wait)
            {
                Thread.SpinWait(10);
            }
        }
    }
}
