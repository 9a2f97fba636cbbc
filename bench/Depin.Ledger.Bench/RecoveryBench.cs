using System.Diagnostics;
using Depin.Ledger.Jobs;
using Depin.Ledger.Node;
using Depin.Ledger.Transactions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Depin.Ledger.Bench;

/// <summary>
/// How long a restart takes after many finished jobs: runs <c>jobs</c> jobs through submit, lease, complete and settle
/// on a durable node (default options: snapshots every 1,000 blocks or 1,000,000 transactions), stops it, and times the
/// next start (snapshot with the indexes, then the log after it), with the data's size on disk. Twice: with the default
/// retention (every job still inside the window, so all of them stay indexed) and with a zero window (every finished
/// record pruned, the log cut behind the snapshots).
/// </summary>
internal static class RecoveryBench
{
    public static async Task RunAsync(int jobs)
    {
        await RunAsync(jobs, new LedgerOptions().Retention);
        await RunAsync(jobs, TimeSpan.Zero);
    }

    private static async Task RunAsync(int jobs, TimeSpan retention)
    {
        Console.WriteLine($"retention {retention}:");
        var directory = Directory.CreateTempSubdirectory("depin-bench-recovery-").FullName;
        try
        {
            const int Customers = 10_000;
            const int Providers = 100;
            const int Stage = 10_000;
            var filled = Stopwatch.StartNew();
            var snapshots = new SnapshotLines();
            using (var node = new LedgerNode(new LedgerOptions { DataDirectory = directory, Retention = retention }, snapshots))
            {
                node.Start();
                foreach (var chunk in Workloads.Genesis(Customers + Providers, 1_000_000_000_000).Chunk(Stage))
                {
                    await node.SubmitAsync(chunk);
                }

                var until = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
                for (var start = 0; start < jobs; start += Stage)
                {
                    var ids = Enumerable.Range(start, Math.Min(Stage, jobs - start)).Select(i => TxId.Derive("recovery-job-" + i)).ToArray();
                    var worker = TxId.Derive("recovery-worker");
                    await node.SubmitAsync([.. ids.Select((id, i) => new Transaction(TxId.New(), ProgramKind.JobSubmit, Workloads.Account((start + i) % Customers), default, 10_000, 0, id,
                        new JobPayload(default, default, 0, until, 1_000, 1, 3)))]);
                    await node.SubmitAsync([.. ids.Select((id, i) => new Transaction(TxId.New(), ProgramKind.JobLease, default, Workloads.Account(Customers + i % Providers), 4_000, 100, id,
                        new JobPayload(default, worker, 0, until, 0, 0, 0)))]);
                    await node.SubmitAsync([.. ids.Select(id => new Transaction(TxId.New(), ProgramKind.JobComplete, default, default, 0, 0, id, new JobPayload(default, worker, 1, 0, 0, 0, 0)))]);
                    await node.SubmitAsync([.. ids.Select((id, i) => new Transaction(TxId.New(), ProgramKind.JobSettle, Workloads.Account((start + i) % Customers), Workloads.Account(Customers + i % Providers), 4_000, 100, id))]);
                }

                await node.StopAsync();
                Console.WriteLine($"  largest snapshot: {snapshots.Last}");
                var settled = node.GetJob(TxId.Derive("recovery-job-" + (jobs - 1))).Record.Status;
                Console.WriteLine($"  {jobs:N0} jobs run to {settled.ToString().ToLowerInvariant()} in {filled.Elapsed.TotalSeconds:F1} s: height {node.Height:N0}, {jobs * 4L:N0} job transactions");
            }

            var bytes = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var recovering = Stopwatch.StartNew();
            using var reopened = new LedgerNode(new LedgerOptions { DataDirectory = directory, Retention = retention }, NullLogger<LedgerNode>.Instance);
            reopened.Start();
            var recovered = recovering.Elapsed;
            var memory = GC.GetTotalMemory(forceFullCollection: true) - before;
            var page = reopened.JobsOf(Workloads.Account(0), provider: false, 10, null);
            var (live, slots) = reopened.JobSlots;
            Console.WriteLine($"  restart: recovered height {reopened.Height:N0} in {recovered.TotalSeconds:F2} s, of which {reopened.Recovery.Snapshot.TotalSeconds:F2} s loading the snapshot (state and indexes) and the rest replaying the log after it; " +
                $"{bytes / (1 << 20):N0} MiB of WAL and snapshots; heap {memory / (1 << 20):N0} MiB; {live:N0} live job records in {slots:N0} slots; {reopened.IndexedTransactions:N0} transaction ids and blocks from {reopened.FirstHeight:N0} kept; " +
                $"customer 1 has {page.Total:N0} jobs listed{(page.Jobs.Length > 0 ? ", newest " + page.Jobs[0].Record.Status.ToString().ToLowerInvariant() : string.Empty)}");
            await reopened.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>Keeps the node's last "Snapshot written" line (how long the commit thread spent taking it).</summary>
internal sealed class SnapshotLines : Microsoft.Extensions.Logging.ILogger<LedgerNode>
{
    public string Last { get; private set; } = "none taken";

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = formatter(state, exception);
        if (line.StartsWith("Snapshot written", StringComparison.Ordinal))
        {
            Last = line;
        }
    }
}
