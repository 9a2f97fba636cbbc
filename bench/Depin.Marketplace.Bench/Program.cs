using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Depin.Marketplace.Bench;

// Starts the all-in-one host in one process and this program's load generator in another, then prints the table.
if (args.Length > 0 && args[0] == "loadgen")
{
    return await LoadGenerator.RunAsync(args[1], args[2], double.Parse(args[3], CultureInfo.InvariantCulture));
}

var seconds = args.Contains("--quick") ? 5.0 : 10.0;
var directory = Directory.CreateTempSubdirectory("depin-bench-market-").FullName;
var port = FreePort();
var url = $"http://127.0.0.1:{port}";
const string AdminKey = "bench-admin-key";
var host = Start([Path.Combine(AppContext.BaseDirectory, "depin-apphost.dll"), "--urls", url],
    ("Ledger__DataDirectory", Path.Combine(directory, "ledger")),
    ("Marketplace__ResultsDirectory", Path.Combine(directory, "results")),
    ("Marketplace__AdminApiKey", AdminKey),
    ("Marketplace__RateLimitPermits", "100000000"),
    ("Marketplace__SiloPort", FreePort().ToString(CultureInfo.InvariantCulture)),
    ("Marketplace__GatewayPort", FreePort().ToString(CultureInfo.InvariantCulture)),
    ("Pool__Enabled", "false"),
    ("LocalChain__Enabled", "false"),
    ("Logging__LogLevel__Default", "Warning"));
try
{
    using var http = new HttpClient();
    for (var i = 0; i < 600 && !(await Healthy(http, url)); i++)
    {
        await Task.Delay(100);
    }

    Console.WriteLine($"Depin marketplace benchmark: all-in-one host at {url}, load generator in a separate process, {Environment.ProcessorCount} cores");
    var load = Start([Path.Combine(AppContext.BaseDirectory, "depin-marketplace-bench.dll"), "loadgen", url, AdminKey, seconds.ToString(CultureInfo.InvariantCulture)]);
    Console.Write(await load.StandardOutput.ReadToEndAsync());
    await load.WaitForExitAsync();
    return load.ExitCode;
}
finally
{
    host.Kill(entireProcessTree: true);
    await host.WaitForExitAsync();
    Directory.Delete(directory, recursive: true);
}

static async Task<bool> Healthy(HttpClient http, string url)
{
    try
    {
        return (await http.GetAsync($"{url}/health")).IsSuccessStatusCode;
    }
    catch (HttpRequestException)
    {
        return false;
    }
}

static Process Start(string[] arguments, params (string Key, string Value)[] environment)
{
    var info = new ProcessStartInfo("dotnet", arguments) { UseShellExecute = false, RedirectStandardOutput = true };
    foreach (var (key, value) in environment)
    {
        info.Environment[key] = value;
    }

    return Process.Start(info)!;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
