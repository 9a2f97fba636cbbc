using System.Diagnostics;
using System.Globalization;
using Depin.Marketplace.Bench;
using Depin.Testing;

// Starts the all-in-one host in one process and this program's load generator in another, then prints the table.
if (args.Length > 0 && args[0] == "loadgen")
{
    return await LoadGenerator.RunAsync(args[1], args[2], double.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture), args.Contains("--upload-each"));
}

var quick = args.Contains("--quick");
var seconds = quick ? 5.0 : 10.0;
var platformMode = args.Contains("--platform");
// The platform's services tier up for minutes under load on two cores (docs/performance.md): its figure is taken warm.
var warmupRounds = Array.IndexOf(args, "--warmup-rounds") is var at and >= 0 && at + 1 < args.Length
    ? int.Parse(args[at + 1], CultureInfo.InvariantCulture)
    : platformMode && !quick ? 8 : 1;
// Each simulated device lane takes up to this many jobs per lease request (POST /api/workers/{id}/leases), as a worker
// agent with Worker:JobsPerLease does; 1 is one job per request.
var jobsPerLease = Array.IndexOf(args, "--jobs-per-lease") is var j and >= 0 && j + 1 < args.Length
    ? int.Parse(args[j + 1], CultureInfo.InvariantCulture)
    : 4;
if (platformMode)
{
    // The platform the README runs (the AppHost, Release build), loaded through its gateway.
    var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
    // --trace-sampling R: the platform keeps that share of traces (Platform:TraceSampling; default 1). The platform's
    // default Platform:TracesPerSecond (5 new traces a second per service) applies either way; --setting changes it.
    var sampling = Array.IndexOf(args, "--trace-sampling") is var t and >= 0 && t + 1 < args.Length ? args[t + 1] : null;
    // --setting Key=Value (repeatable): any other AppHost setting, e.g. Aspire:Dashboard:PersistenceMode=None.
    var settings = args.Select((arg, i) => (arg, i)).Where(a => a.arg == "--setting" && a.i + 1 < args.Length).Select(a => args[a.i + 1]).ToList();
    if (sampling is not null)
    {
        settings.Add($"Platform:TraceSampling={sampling}");
    }

    await using var platform = await PlatformRun.StartAsync(root, settings);
    Console.WriteLine($"Depin marketplace benchmark: the AppHost platform (separate processes, gateway {platform.Url}, {(sampling is null ? "default trace sampling" : $"trace sampling {sampling}")}{string.Concat(settings.Where(s => !s.StartsWith("Platform:TraceSampling", StringComparison.Ordinal)).Select(s => ", " + s))}), load generator in a separate process, {Environment.ProcessorCount} cores");
    return await RunLoadGeneratorAsync(platform.Url, PlatformRun.AdminKey, seconds, warmupRounds, jobsPerLease);
}

var directory = Directory.CreateTempSubdirectory("depin-bench-market-").FullName;
if (!OperatingSystem.IsWindows())
{
    // The host's own PostgreSQL runs as the postgres user under root and must reach its data directory.
    File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
}

const string AdminKey = "bench-admin-key";
try
{
    await using var host = await ChildHost.StartAsync("depin-allinone.dll", new Dictionary<string, string>
    {
        ["Ledger__DataDirectory"] = Path.Combine(directory, "ledger"),
        ["Marketplace__ContentDirectory"] = Path.Combine(directory, "content"),
        ["Admin__ApiKey"] = AdminKey,
        ["Marketplace__RateLimitPermits"] = "100000000",
        ["Marketplace__SiloPort"] = ChildHost.FreePort().ToString(CultureInfo.InvariantCulture),
        ["Marketplace__GatewayPort"] = ChildHost.FreePort().ToString(CultureInfo.InvariantCulture),
        ["Pool__Enabled"] = "false",
        ["LocalChain__Enabled"] = "false",
        ["Logging__LogLevel__Default"] = "Warning",
        ["LocalPostgres__DataDirectory"] = Path.Combine(directory, "postgres"),
        ["LocalPostgres__Port"] = ChildHost.FreePort().ToString(CultureInfo.InvariantCulture),
    });
    var url = host.Http.BaseAddress!.ToString().TrimEnd('/');
    Console.WriteLine($"Depin marketplace benchmark: all-in-one host at {url}, load generator in a separate process, {Environment.ProcessorCount} cores");
    var exitCode = await RunLoadGeneratorAsync(url, AdminKey, seconds, warmupRounds, jobsPerLease);
    // Ctrl+C, so that the host stops its PostgreSQL too.
    await host.StopAsync(TimeSpan.FromSeconds(30));
    return exitCode;
}
finally
{
    Directory.Delete(directory, recursive: true);
}

static async Task<int> RunLoadGeneratorAsync(string url, string adminKey, double seconds, int warmupRounds, int jobsPerLease)
{
    // --upload-each: every result in its own request, as before POST /api/workers/{id}/results (a side-by-side baseline).
    string[] uploads = Environment.GetCommandLineArgs().Contains("--upload-each") ? ["--upload-each"] : [];
    using var load = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "depin-marketplace-bench.dll"), "loadgen", url, adminKey,
        seconds.ToString(CultureInfo.InvariantCulture), warmupRounds.ToString(CultureInfo.InvariantCulture), jobsPerLease.ToString(CultureInfo.InvariantCulture), .. uploads])
    {
        UseShellExecute = false,
        RedirectStandardOutput = true,
    })!;

    // CPU time by process while the timed phases run (from the load generator's first marker to its second).
    ProcessCpu? cpu = null;
    var timed = Stopwatch.StartNew();
    var elapsed = TimeSpan.Zero;
    IReadOnlyList<(string Name, double Seconds)> used = [];
    var loadCpu = 0.0;
    var timedJobs = 0L;
    using var sampler = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
    var sampling = Task.Run(async () =>
    {
        while (await sampler.WaitForNextTickAsync())
        {
            cpu?.Update();
        }
    });
    while (await load.StandardOutput.ReadLineAsync() is { } line)
    {
        if (line == LoadGenerator.TimedMarker)
        {
            cpu = ProcessCpu.Supported ? ProcessCpu.Start() : null;
            timed.Restart();
        }
        else if (line == LoadGenerator.TimedEndMarker)
        {
            elapsed = timed.Elapsed;
            if (cpu is not null)
            {
                loadCpu = cpu.Of(load.Id);
                used = cpu.ByName(new HashSet<int> { Environment.ProcessId, load.Id });
            }

            cpu = null;
        }
        else if (line.StartsWith(LoadGenerator.TimedJobsPrefix, StringComparison.Ordinal))
        {
            timedJobs = long.Parse(line[LoadGenerator.TimedJobsPrefix.Length..], CultureInfo.InvariantCulture);
        }
        else
        {
            Console.WriteLine(line);
        }
    }

    await load.WaitForExitAsync();
    sampler.Dispose();
    await sampling;
    if (used.Count > 0 && timedJobs > 0)
    {
        var total = used.Sum(u => u.Seconds);
        Console.WriteLine();
        Console.WriteLine($"CPU time of the timed phases ({elapsed.TotalSeconds:F0} s, {timedJobs:N0} jobs to a verified result): {total:F1} s on {Environment.ProcessorCount} cores ({total / elapsed.TotalSeconds / Environment.ProcessorCount:P0} busy), {total * 1000 / timedJobs:F2} ms per job, load generator apart ({loadCpu * 1000 / timedJobs:F2} ms per job)");
        Console.WriteLine("process                  | CPU s  | ms per job");
        Console.WriteLine("-------------------------|--------|-----------");
        foreach (var (name, secondsUsed) in used.Where(u => u.Seconds * 1000 / timedJobs >= 0.05))
        {
            Console.WriteLine($"{name,-24} | {secondsUsed,6:F1} | {secondsUsed * 1000 / timedJobs,9:F2}");
        }
    }

    return load.ExitCode;
}
