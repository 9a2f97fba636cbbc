using System.Diagnostics;
using Depin.Ledger.Jobs;
using Depin.Ledger.Node;
using Depin.Ledger.Transactions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Depin.Ledger.Bench;

/// <summary>
/// How long a restart takes after many finished jobs: runs <c>jobs</c> jobs through submit, lease, complete and settle
/// on a durable node (default options: snapshots every 1,000 blocks), stops it, and times the next start (snapshot load,
/// log replay, indexes), with the data's size on disk.
/// </summary>
internal static class RecoveryBench
{
    public static async Task RunAsync(int jobs)
    {
        var directory = Directory.CreateTempSubdirectory("depin-bench-recovery-").FullName;
        try
        {
            const int Customers = 10_000;
            const int Providers = 100;
            const int Stage = 10_000;
            var filled = Stopwatch.StartNew();
            using (var node = new LedgerNode(new LedgerOptions { DataDirectory = directory }, NullLogger<LedgerNode>.Instance))
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
                var settled = node.GetJob(TxId.Derive("recovery-job-0")).Record.Status;
                Console.WriteLine($"{jobs:N0} jobs run to {settled.ToString().ToLowerInvariant()} in {filled.Elapsed.TotalSeconds:F1} s: height {node.Height:N0}, {jobs * 4L:N0} job transactions");
            }

            var bytes = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var recovering = Stopwatch.StartNew();
            using var reopened = new LedgerNode(new LedgerOptions { DataDirectory = directory }, NullLogger<LedgerNode>.Instance);
            reopened.Start();
            var recovered = recovering.Elapsed;
            var memory = GC.GetTotalMemory(forceFullCollection: true) - before;
            var page = reopened.JobsOf(Workloads.Account(0), provider: false, 10, null);
            Console.WriteLine($"restart: recovered height {reopened.Height:N0} in {recovered.TotalSeconds:F2} s, of which {reopened.Recovery.Snapshot.TotalSeconds:F2} s loading the snapshot and the rest reading the whole log for the indexes ({bytes / (1 << 20):N0} MiB of WAL and snapshots); heap {memory / (1 << 20):N0} MiB; customer 1 has {page.Total:N0} jobs indexed, newest {page.Jobs[0].Record.Status.ToString().ToLowerInvariant()}");
            await reopened.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
