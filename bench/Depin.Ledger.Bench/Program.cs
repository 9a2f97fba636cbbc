using System.Diagnostics;
using Depin.Ledger.Bench;
using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Transactions;

if (args.Length > 0 && args[0] == "loadgen")
{
    return await RestBench.LoadGeneratorAsync(args[1], int.Parse(args[2]), double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[4]), int.Parse(args[5]));
}

var quick = args.Contains("--quick");
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
// --only takes one or more parts of row names, separated by ';' (the names themselves hold commas).
bool Selected(string workload) => only is null || only.Split(';').Any(part => workload.Contains(part, StringComparison.OrdinalIgnoreCase));
if (args.Contains("--rest-only"))
{
    // REST ingestion alone: --rest-only [connections] [batch size]
    var at = Array.IndexOf(args, "--rest-only");
    var connections = args.Length > at + 1 && int.TryParse(args[at + 1], out var c) ? c : 16;
    var batch = args.Length > at + 2 && int.TryParse(args[at + 2], out var b) ? b : 1_000;
    Console.WriteLine($"REST ingestion, {connections} connections, batches of {batch}: {await RestBench.RunAsync(10_000, quick ? 4 : 8, batch, connections)} (transactions/s, rejected)");
    return 0;
}

if (args.Contains("--durable-only"))
{
    var run = await RunDurableAsync();
    Console.WriteLine($"submit → block → fsync → ack: {ResultTable.Tps(run.Tps)} transactions/s; {run}");
    return 0;
}

if (args.Contains("--recovery"))
{
    await RecoveryBench.RunAsync(quick ? 100_000 : 1_000_000);
    return 0;
}

var cores = Environment.ProcessorCount;
const int BlockSize = 10_000;
if (args.Contains("--profile"))
{
    // --profile mix|lifecycle|p2p-N sequential|pipelined|scheduled|adaptive seconds [--whole]: one executor on one workload, for a profiler.
    var at = Array.IndexOf(args, "--profile");
    var (genesis, workload) = args[at + 1] switch
    {
        "mix" => (Workloads.Genesis(11_000, 1_000_000_000), MixBlocks(8)),
        "lifecycle" => (Workloads.Genesis(10_100, 1_000_000_000), Workloads.JobLifecycle(11, BlockSize, 10_000, 100)),
        var p2p => (Workloads.Genesis(int.Parse(p2p[4..]), 1_000_000_000), TransferBlocks(8, int.Parse(p2p[4..]))),
    };
    var settings = ExecutionSettings.Default;
    IBlockExecutor executor = args[at + 2] switch
    {
        "sequential" => new SequentialExecutor(settings),
        "pipelined" => ParallelExecutors.Create(ParallelExecution.Pipelined, settings, cores),
        "scheduled" => ParallelExecutors.Create(ParallelExecution.Scheduled, settings, cores),
        _ => ExecutorBench.NodeExecutor(settings, cores),
    };
    var tps = ExecutorBench.Loop(executor, genesis, workload, TimeSpan.FromSeconds(double.Parse(args[at + 3], System.Globalization.CultureInfo.InvariantCulture)), args.Contains("--whole"));
    Console.WriteLine($"{args[at + 1]} on {args[at + 2]}: {ResultTable.Tps(tps)} transactions/s (mean over runs)");
    return 0;
}

var blocks = quick ? 4 : 8;
Console.WriteLine($"Depin ledger benchmark: {cores} cores, blocks of {BlockSize:N0}, {blocks - 1} timed blocks per run (best of 3 rounds that take each executor in turn), .NET {Environment.Version}");
Console.WriteLine();

var columns = new List<string> { "workload", "sequential" };
columns.AddRange(Enumerable.Range(1, cores).Select(t => $"sched x{t}"));
columns.AddRange(Enumerable.Range(1, cores).Select(t => $"sched{t}/seq"));
columns.Add($"block-stm x{cores}");
columns.Add($"stm{cores}/seq");
columns.Add($"pipelined x{cores}");
columns.Add($"pipe{cores}/seq");
columns.Add($"adaptive x{cores}");
columns.Add($"adapt/seq");
columns.Add("adapt B/tx");
columns.Add("same root");
var table = new ResultTable([.. columns]);
var wholeTable = new ResultTable("workload", "sequential, one thread", "seq, tree on every core", "pipelined x" + cores, "pipe/seq", "adaptive x" + cores, "adapt/seq", "adapt/seq tree on every core");
// One untimed pass of every executor first, so the first rows are not timed while the JIT still tiers the code every
// row shares (the rounds within a row only cover what that row's own blocks exercise).
{
    var random = new Random(7);
    var open = new Queue<(TxId, int)>();
    var warmUp = Enumerable.Range(0, blocks).Select(i => i % 2 == 0 ? Workloads.Transfers(random, BlockSize, 100) : Workloads.MarketplaceMix(random, BlockSize, 100, 10, open)).ToArray();
    ExecutorBench.Run("warm-up", Workloads.Genesis(110, 1_000_000_000), warmUp, cores);
}

double? transfers10K = null;
double? jobSuccess = null;
foreach (var accounts in new[] { 2, 10, 100, 1_000, 10_000, 1_000_000 })
{
    if (!Selected($"p2p {accounts:N0} accounts"))
    {
        continue;
    }

    var workload = TransferBlocks(blocks, accounts);
    var result = ExecutorBench.Run($"p2p {accounts:N0} accounts", Workloads.Genesis(accounts, 1_000_000_000), workload, cores);
    AddRow(result);
    if (accounts == 10_000)
    {
        transfers10K = new[] { result.Sequential, result.Scheduled.Max(), result.BlockStm.Max(), result.Pipelined, result.Adaptive }.Max();
    }
}

if (Selected("marketplace mix (hot treasury)"))
{
    AddRow(ExecutorBench.Run("marketplace mix (hot treasury)", Workloads.Genesis(11_000, 1_000_000_000), MixBlocks(blocks), cores));
}

if (Selected("job programs (lifecycle pipeline)"))
{
    // Blocks of the pipeline are timed from the fourth on, when every stage is full (submit, lease, complete, settle).
    var workload = Workloads.JobLifecycle(blocks + 3, BlockSize, 10_000, 100);
    var genesis = Workloads.Genesis(10_100, 1_000_000_000);
    AddRow(ExecutorBench.Run("job programs (lifecycle pipeline)", genesis, workload, cores, untimed: 4));
    jobSuccess = ExecutorBench.SuccessShare(genesis, workload);
}

var (hashScaling, integerScaling) = MachineCheck.TwoThreadScaling();
Console.WriteLine($"This machine, two threads against one: SHA-256 leaves {hashScaling:F2}x, a latency-bound integer loop {integerScaling:F2}x (SHA-256: {(LibcryptoSha256.Available ? "libcrypto" : "managed")})");
Console.WriteLine("In-memory execution with its receipts root, transactions per second (state root compared with the sequential run):");
table.Print(Console.Out);
Console.WriteLine("Whole blocks as the node commits them (execution, receipts root, state tree), transactions per second; sequential on one thread, and as a node running the sequential executor (its tree's large levels on every core):");
wholeTable.Print(Console.Out);
if (jobSuccess is { } share)
{
    Console.WriteLine($"job programs: {share:P1} of the pipeline's transactions succeed (submit, lease, complete, settle)");
}

if (args.Contains("--executor-only"))
{
    return 0;
}

var durable = new ResultTable("end to end", "transactions/s", "ratio");
var durableRun = await RunDurableAsync();
var durableTps = durableRun.Tps;
durable.Add($"ledger: submit → block → fsync → ack, default group commit (batches of 1,000 from 64 submitters)", ResultTable.Tps(durableTps), "1.00");
if (PostgresBaseline.Available)
{
    await using var postgres = await PostgresBaseline.StartAsync();
    await postgres.SeedAsync(10_000, 1_000_000_000);
    var pg = await postgres.TransfersAsync(10_000, connections: 16, seconds: quick ? 3 : 6);
    durable.Add("PostgreSQL 15: one SQL transaction per transfer, 16 connections", ResultTable.Tps(pg), $"ledger/PostgreSQL = {durableTps / pg:F1}x");
}
else
{
    durable.Add("PostgreSQL baseline", "skipped: /usr/lib/postgresql/15/bin/initdb not found (apt-get install postgresql)", "-");
}

var rest = await RestBench.RunAsync(10_000, quick ? 4 : 8, 1_000, 16);
var restParts = rest.Split(' ');
durable.Add($"REST ingestion (load generator in a separate process, batches of 1,000; rejected {restParts.ElementAtOrDefault(1)})", ResultTable.Tps(double.Parse(restParts[0])), $"REST/in-process = {double.Parse(restParts[0]) / durableTps:F2}");
Console.WriteLine("Durable, 10,000 accounts, p2p transfers:");
durable.Print(Console.Out);
Console.WriteLine($"Ledger log on {durableRun.FileSystem}: fsync of 4 KiB p50 {durableRun.FsyncP50Ms:F2} ms, p99 {durableRun.FsyncP99Ms:F2} ms");
Console.WriteLine($"Blocks formed: {durableRun.Blocks} (transactions per block min {durableRun.MinBlock:N0}, median {durableRun.MedianBlock:N0}, max {durableRun.MaxBlock:N0}); ack per batch p50 {durableRun.AckP50Ms:F1} ms, p99 {durableRun.AckP99Ms:F1} ms; allocated {durableRun.BytesPerTransaction:F0} bytes per transaction (node and submitters)");

Console.WriteLine($"Memory: {MemoryBench.BytesPerAccount(1_000_000):F0} bytes per account (1,000,000 accounts: slot table, index, Merkle tree)");
Console.WriteLine($"Peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20):N0} MiB");
if (transfers10K is { } best)
{
    Console.WriteLine($"Best in-memory figure for 10,000-account transfers: {ResultTable.Tps(best)}");
}
return 0;

static Transaction[][] TransferBlocks(int count, int accounts)
{
    var random = new Random(accounts);
    return Enumerable.Range(0, count).Select(_ => Workloads.Transfers(random, BlockSize, accounts)).ToArray();
}

static Transaction[][] MixBlocks(int count)
{
    var random = new Random(42);
    var open = new Queue<(TxId, int)>();
    return Enumerable.Range(0, count).Select(_ => Workloads.MarketplaceMix(random, BlockSize, 10_000, 1_000, open)).ToArray();
}

// 10,000 accounts, batches of 1,000 transfers from 64 submitters.
Task<DurableBench.Result> RunDurableAsync() => DurableBench.RunAsync(10_000, quick ? 300 : 1_000, 1_000, 64);

void AddRow(ExecutorBench.Result result)
{
    var row = new List<string> { result.Workload, ResultTable.Tps(result.Sequential) };
    row.AddRange(result.Scheduled.Select(ResultTable.Tps));
    row.AddRange(result.Scheduled.Select(p => $"{p / result.Sequential:F2}"));
    row.Add(ResultTable.Tps(result.BlockStm[^1]));
    row.Add($"{result.BlockStm[^1] / result.Sequential:F2}");
    row.Add(ResultTable.Tps(result.Pipelined));
    row.Add($"{result.Pipelined / result.Sequential:F2}");
    row.Add(ResultTable.Tps(result.Adaptive));
    row.Add($"{result.Adaptive / result.Sequential:F2}");
    row.Add($"{result.AdaptiveBytesPerTransaction:F1}");
    row.Add(result.Identical ? "yes" : "NO");
    table.Add([.. row]);
    var whole = result.Node;
    wholeTable.Add(result.Workload, ResultTable.Tps(whole.Sequential), ResultTable.Tps(whole.SequentialTreeOnEveryCore), ResultTable.Tps(whole.Pipelined), $"{whole.Pipelined / whole.Sequential:F2}", ResultTable.Tps(whole.Adaptive), $"{whole.Adaptive / whole.Sequential:F2}", $"{whole.Adaptive / whole.SequentialTreeOnEveryCore:F2}");
}
