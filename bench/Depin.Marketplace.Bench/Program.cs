using System.Diagnostics;
using System.Globalization;
using Depin.Marketplace.Bench;
using Depin.Testing;

// Starts the all-in-one host in one process and this program's load generator in another, then prints the table.
if (args.Length > 0 && args[0] == "loadgen")
{
    return await LoadGenerator.RunAsync(args[1], args[2], double.Parse(args[3], CultureInfo.InvariantCulture));
}

var seconds = args.Contains("--quick") ? 5.0 : 10.0;
if (args.Contains("--platform"))
{
    // The platform the README runs (the AppHost, Release build), loaded through its gateway.
    var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
    await using var platform = await PlatformRun.StartAsync(root);
    Console.WriteLine($"Depin marketplace benchmark: the AppHost platform (separate processes, gateway {platform.Url}), load generator in a separate process, {Environment.ProcessorCount} cores");
    return await RunLoadGeneratorAsync(platform.Url, PlatformRun.AdminKey, seconds);
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
    var exitCode = await RunLoadGeneratorAsync(url, AdminKey, seconds);
    // Ctrl+C, so that the host stops its PostgreSQL too.
    await host.StopAsync(TimeSpan.FromSeconds(30));
    return exitCode;
}
finally
{
    Directory.Delete(directory, recursive: true);
}

static async Task<int> RunLoadGeneratorAsync(string url, string adminKey, double seconds)
{
    using var load = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "depin-marketplace-bench.dll"), "loadgen", url, adminKey, seconds.ToString(CultureInfo.InvariantCulture)])
    {
        UseShellExecute = false,
        RedirectStandardOutput = true,
    })!;
    Console.Write(await load.StandardOutput.ReadToEndAsync());
    await load.WaitForExitAsync();
    return load.ExitCode;
}
