using System.Diagnostics;
using Depin.Ledger.Node;
using Depin.Ledger.Transactions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Depin.Ledger.Bench;

/// <summary>End to end in process: submitted, grouped into blocks, executed, logged with fsync, acknowledged.</summary>
internal static class DurableBench
{
    /// <summary>What one run measured: throughput, the blocks the default group commit formed, and the acknowledgement latency.</summary>
    public sealed record Result(double Tps, long Blocks, int MinBlock, int MedianBlock, int MaxBlock, double AckP50Ms, double AckP99Ms, string FileSystem, double FsyncP50Ms, double FsyncP99Ms, double BytesPerTransaction);

    /// <summary>The node's default options but the data directory; an untimed run of the same size first (a node is warm before it is busy).</summary>
    public static async Task<Result> RunAsync(int accounts, int batches, int batchSize, int submitters)
    {
        var directory = Directory.CreateTempSubdirectory("depin-bench-durable-").FullName;
        try
        {
            var (fsyncP50, fsyncP99) = FsyncLatency(directory, 200);
            using var node = new LedgerNode(new LedgerOptions { DataDirectory = directory }, NullLogger<LedgerNode>.Instance);
            node.Start();
            foreach (var chunk in Workloads.Genesis(accounts, 1_000_000_000).Chunk(batchSize))
            {
                await node.SubmitAsync(chunk);
            }

            var random = new Random(5);
            await SubmitAllAsync(node, Enumerable.Range(0, batches).Select(_ => Workloads.Transfers(random, batchSize, accounts)).ToArray(), submitters);

            var work = Enumerable.Range(0, batches).Select(_ => Workloads.Transfers(random, batchSize, accounts)).ToArray();
            var sizes = new List<int>();
            node.BlockCommitted += block => sizes.Add(block.Statuses.Length);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var started = Stopwatch.GetTimestamp();
            var acks = await SubmitAllAsync(node, work, submitters);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var bytes = (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / ((long)batches * batchSize);
            await node.StopAsync();
            sizes.Sort();
            Array.Sort(acks);
            return new Result(
                (double)batches * batchSize / elapsed,
                sizes.Count,
                sizes.Count == 0 ? 0 : sizes[0],
                sizes.Count == 0 ? 0 : sizes[sizes.Count / 2],
                sizes.Count == 0 ? 0 : sizes[^1],
                Percentile(acks, 0.50),
                Percentile(acks, 0.99),
                FileSystemOf(directory),
                fsyncP50,
                fsyncP99,
                bytes);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Submits every batch from <paramref name="submitters"/> concurrent callers; returns each batch's submit→ack time in milliseconds.</summary>
    private static async Task<double[]> SubmitAllAsync(LedgerNode node, Transaction[][] work, int submitters)
    {
        var acks = new double[work.Length];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, submitters).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < work.Length)
            {
                var submitted = Stopwatch.GetTimestamp();
                await node.SubmitAsync(work[index]);
                acks[index] = Stopwatch.GetElapsedTime(submitted).TotalMilliseconds;
            }
        })));
        return acks;
    }

    /// <summary>4 KiB appended and flushed to disk, <paramref name="samples"/> times, in the directory the ledger writes to.</summary>
    private static (double P50, double P99) FsyncLatency(string directory, int samples)
    {
        var path = Path.Combine(directory, "fsync-probe");
        var block = new byte[4096];
        var times = new double[samples];
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            for (var i = 0; i < samples; i++)
            {
                var started = Stopwatch.GetTimestamp();
                file.Write(block);
                file.Flush(flushToDisk: true);
                times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }

        File.Delete(path);
        Array.Sort(times);
        return (Percentile(times, 0.50), Percentile(times, 0.99));
    }

    /// <summary>The type and device of the mount that holds <paramref name="path"/>, from /proc/mounts (the longest matching mount point).</summary>
    private static string FileSystemOf(string path)
    {
        if (!File.Exists("/proc/mounts"))
        {
            return "unknown";
        }

        var best = (Point: "", Text: "unknown");
        foreach (var line in File.ReadLines("/proc/mounts"))
        {
            var parts = line.Split(' ');
            if (parts.Length >= 3 && path.StartsWith(parts[1], StringComparison.Ordinal) && parts[1].Length >= best.Point.Length &&
                (parts[1] == "/" || path.Length == parts[1].Length || path[parts[1].Length] == '/'))
            {
                best = (parts[1], $"{parts[2]} on {parts[1]} ({parts[0]})");
            }
        }

        return best.Text;
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
