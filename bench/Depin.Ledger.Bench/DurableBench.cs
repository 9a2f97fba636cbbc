using System.Diagnostics;
using Depin.Ledger.Node;
using Depin.Ledger.Transactions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Depin.Ledger.Bench;

/// <summary>End to end in process: submitted, grouped into blocks, executed, logged with fsync, acknowledged.</summary>
internal static class DurableBench
{
    public static async Task<(double Tps, long Blocks)> RunAsync(int accounts, int batches, int batchSize, int submitters)
    {
        var directory = Directory.CreateTempSubdirectory("depin-bench-durable-").FullName;
        try
        {
            using var node = new LedgerNode(new LedgerOptions { DataDirectory = directory, MaxBlockSize = 50_000, MaxBatchSize = batchSize, SnapshotIntervalBlocks = 1_000_000 }, NullLogger<LedgerNode>.Instance);
            node.Start();
            foreach (var chunk in Workloads.Genesis(accounts, 1_000_000_000).Chunk(batchSize))
            {
                await node.SubmitAsync(chunk);
            }

            var random = new Random(5);
            var work = Enumerable.Range(0, batches).Select(_ => Workloads.Transfers(random, batchSize, accounts)).ToArray();
            var startHeight = node.Height;
            var next = -1;
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, submitters).Select(_ => Task.Run(async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < work.Length)
                {
                    await node.SubmitAsync(work[index]);
                }
            })));
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var blocks = node.Height - startHeight;
            await node.StopAsync();
            return ((double)batches * batchSize / elapsed, blocks);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
