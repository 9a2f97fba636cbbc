using System.Diagnostics;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Contracts.Rewards;
using Depin.Ledger;
using Depin.Ledger.Api;
using Depin.Ledger.Node;
using Depin.Rewards;
using Depin.Rewards.Anchoring;
using Depin.Rewards.Bench;
using Depin.Rewards.Emission;
using Depin.Rewards.Epochs;
using Depin.Rewards.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Epoch close at 1k / 100k / 1M providers through the production EpochCloser: compute amounts, persist, credit every
// provider through the in-process durable ledger (reward-credit, fsync'd blocks), build the payout Merkle tree.
// Phases are also timed alone (compute, tree) with the same production functions. Peak = highest managed heap sampled during the close.
int[] sizes = args.Length > 0 ? [.. args.Select(int.Parse)] : [1_000, 100_000, 1_000_000];
Console.WriteLine($"Depin.Rewards.Bench  cores={Environment.ProcessorCount}  {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}  server GC={System.Runtime.GCSettings.IsServerGC}");
Console.WriteLine();
Bench.ApportionmentAgainstReference(1_000_000);
Console.WriteLine();
Console.WriteLine($"{"providers",10} {"compute",9} {"tree",9} {"credit txs",11} {"close total",12} {"(credit+store)",15} {"ledger tx/s",12} {"peak heap",10} {"allocated",10} {"peak WS",9}  check");

await Bench.RunAsync(1_000, print: false);
foreach (int n in sizes)
{
    await Bench.RunAsync(n, print: true);
}

namespace Depin.Rewards.Bench
{
    internal static class Bench
    {
        private static readonly DateTimeOffset Genesis = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public static async Task RunAsync(int providers, bool print)
        {
            ProviderActivity[] activity = Generate(providers);
            var split = new RewardSplit(4_000);
            const long emission = 1_000_000_000_000;

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var watch = Stopwatch.StartNew();
            EpochAllocation allocation = EpochCalculator.Compute(0, emission, split, activity);
            TimeSpan compute = watch.Elapsed;
            watch.Restart();
            PayoutMerkleTree tree = PayoutTrees.Build(0, allocation.Rewards);
            TimeSpan treeTime = watch.Elapsed;
            watch.Restart();
            for (int start = 0; start < allocation.Rewards.Count; start += 10_000)
            {
                EpochCloser.CreditBatch(0, 0, allocation.Rewards, start, Math.Min(allocation.Rewards.Count, start + 10_000));
            }

            TimeSpan prepare = watch.Elapsed;

            string dataDirectory = Directory.CreateTempSubdirectory("depin-rewards-bench-").FullName;
            try
            {
                var node = new LedgerNode(new LedgerOptions { DataDirectory = dataDirectory, ExecutionThreads = int.Parse(Environment.GetEnvironmentVariable("BENCH_LEDGER_THREADS") ?? Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture) }, NullLogger<LedgerNode>.Instance);
                node.Start();
                try
                {
                    var ledger = new LocalLedgerClient(node);
                    await ledger.SubmitAsync([new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: LedgerAccounts.RewardPool, Amount: emission)]);
                    var time = new FixedTime(Genesis.AddHours(1));
                    var store = new InMemoryEpochStore();
                    var options = Options.Create(new RewardsOptions { InitialEmissionPerEpoch = emission, AvailabilityBasisPoints = 4_000, CreditBatchSize = 10_000 });
                    var closer = new EpochCloser(store, new FixedActivity(activity), ledger, new ChainPayoutRootPublisher(new RewardsChain(new ChainSettings())),
                        new NoEvents(), new EpochClock(Genesis, TimeSpan.FromHours(1)), new PayoutTreeCache(store), options, time, NullLogger<EpochCloser>.Instance);

                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    long baseline = GC.GetTotalMemory(false);
                    long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                    using var sampler = new PeakSampler();
                    watch.Restart();
                    EpochRecord record = await closer.CloseEpochAsync(0);
                    TimeSpan total = watch.Elapsed;
                    long peak = sampler.Stop() - baseline;
                    long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

                    long paid = (await ledger.GetAccountAsync(LedgerAccounts.RewardPool)).Balance;
                    bool ok = record.Status == EpochStatus.Published && record.MerkleRoot == tree.Root.ToString() && paid == 0 && record.Distributed == emission;
                    TimeSpan creditAndStore = total - compute - treeTime;
                    if (print)
                    {
                        Console.WriteLine($"{providers,10:N0} {Ms(compute),9} {Ms(treeTime),9} {Ms(prepare),11} {Ms(total),12} {Ms(creditAndStore),15} {allocation.Rewards.Count / creditAndStore.TotalSeconds,12:N0} {Mb(peak),10} {Mb(allocated),10} {Mb(Process.GetCurrentProcess().PeakWorkingSet64),9}  {(ok ? "ok" : "MISMATCH")}");
                    }
                }
                finally
                {
                    await node.StopAsync();
                    node.Dispose();
                }
            }
            finally
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }

        /// <summary>The production apportionment against the plain BigInteger reference: same shares, and the speed ratio.</summary>
        public static void ApportionmentAgainstReference(int n)
        {
            var random = new Random(7);
            var weights = new UInt128[n];
            for (int i = 0; i < n; i++)
            {
                weights[i] = (UInt128)(ulong)random.Next(0, 3_601) * (ulong)random.Next(1, 1_000);
            }

            const long pool = 400_000_000_000;
            long[] fast = new long[n];
            LargestRemainder.Apportion(pool, weights, fast);
            var watch = Stopwatch.StartNew();
            LargestRemainder.Apportion(pool, weights, fast);
            TimeSpan production = watch.Elapsed;
            watch.Restart();
            long[] reference = LargestRemainder.ApportionReference(pool, weights);
            TimeSpan baseline = watch.Elapsed;
            Console.WriteLine($"largest remainder over {n:N0} weights: production {Ms(production)}, BigInteger reference {Ms(baseline)}, " +
                $"ratio {baseline / production:F1}x, shares {(fast.AsSpan().SequenceEqual(reference) ? "identical" : "DIFFERENT")}");
        }

        private static ProviderActivity[] Generate(int n)
        {
            var random = new Random(n);
            var activity = new ProviderActivity[n];
            byte[] address = new byte[20];
            for (int i = 0; i < n; i++)
            {
                random.NextBytes(address);
                address[0] = 0xA0; // keep clear of the ledger's reserved system / escrow ranges
                activity[i] = new ProviderActivity(new Address(address), random.Next(0, 3_601), random.Next(1, 1_000), random.Next(0, 500), random.Next(100) == 0 ? 1 : 0);
            }

            return activity;
        }

        private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:N0} ms";

        private static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):N0} MiB";
    }

    internal sealed class FixedActivity(IReadOnlyList<ProviderActivity> activity) : IEpochActivitySource
    {
        public Task<IReadOnlyList<ProviderActivity>> GetActivityAsync(EpochWindow window, CancellationToken cancellationToken = default) => Task.FromResult(activity);
    }

    internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    internal sealed class NoEvents : IEpochEventPublisher
    {
        public Task PublishAsync(EpochClosedEvent closed, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    /// <summary>Samples the managed heap every 5 ms on its own thread; Stop returns the highest sample.</summary>
    internal sealed class PeakSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _running = true;
        private long _peak;

        public PeakSampler()
        {
            _thread = new Thread(() =>
            {
                while (_running)
                {
                    _peak = Math.Max(_peak, GC.GetTotalMemory(false));
                    Thread.Sleep(5);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public long Stop()
        {
            _running = false;
            _thread.Join();
            return Math.Max(_peak, GC.GetTotalMemory(false));
        }

        public void Dispose() => Stop();
    }
}
