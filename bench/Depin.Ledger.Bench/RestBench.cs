using System.Diagnostics;
using System.Net.Http.Json;
using Depin.Contracts.Ledger;
using Depin.Testing;

namespace Depin.Ledger.Bench;

/// <summary>REST ingestion: the real ledger host in one process, this program's load generator mode in another.</summary>
internal static class RestBench
{
    /// <summary>The ledger's write credential for this run (writes need one since per-service credentials).</summary>
    private static readonly string Key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public static async Task<string> RunAsync(int accounts, double seconds, int batchSize, int concurrency)
    {
        var directory = Directory.CreateTempSubdirectory("depin-bench-rest-").FullName;
        try
        {
            await using var host = await ChildHost.StartAsync("depin-ledger.dll", new Dictionary<string, string>
            {
                ["Ledger__DataDirectory"] = directory,
                ["Ledger__MaxBlockSize"] = "50000",
                ["Ledger__GatewayApiKey"] = Key,
                ["Logging__LogLevel__Default"] = "Warning",
            });
            using var load = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "depin-ledger-bench.dll"), "loadgen", host.Http.BaseAddress!.ToString().TrimEnd('/'),
                accounts.ToString(), seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), batchSize.ToString(), concurrency.ToString()])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                Environment = { ["DEPIN_BENCH_LEDGER_KEY"] = Key },
            })!;
            var output = await load.StandardOutput.ReadToEndAsync();
            await load.WaitForExitAsync();
            return output.Trim();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The load generator process: funds the accounts, then posts transfer batches from many connections.</summary>
    public static async Task<int> LoadGeneratorAsync(string url, int accounts, double seconds, int batchSize, int concurrency)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", Environment.GetEnvironmentVariable("DEPIN_BENCH_LEDGER_KEY"));
        var genesis = Enumerable.Range(0, accounts)
            .Select(i => new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: Workloads.Account(i).ToString(), Amount: 1_000_000_000))
            .Chunk(batchSize);
        foreach (var chunk in genesis)
        {
            (await http.PostAsJsonAsync("/api/ledger/transactions", new SubmitTransactionsRequest(chunk))).EnsureSuccessStatusCode();
        }

        var addresses = Enumerable.Range(0, accounts).Select(i => Workloads.Account(i).ToString()).ToArray();
        var count = 0L;
        var rejected = 0L;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var random = new Random(worker);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var batch = new LedgerTransactionDto[batchSize];
                for (var i = 0; i < batchSize; i++)
                {
                    var from = random.Next(accounts);
                    var to = (from + 1 + random.Next(accounts - 1)) % accounts;
                    batch[i] = new LedgerTransactionDto(Guid.NewGuid().ToString(), "transfer", addresses[from], addresses[to], 1 + random.Next(100));
                }

                using var response = await http.PostAsJsonAsync("/api/ledger/transactions", new SubmitTransactionsRequest(batch));
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Add(ref count, batchSize);
                }
                else
                {
                    Interlocked.Add(ref rejected, batchSize);
                }
            }
        }));
        var tps = count / Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"{tps:F0} {rejected}");
        return 0;
    }
}
