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

        var addresses = Enumerable.Range(0, accounts).Select(i => System.Text.Encoding.UTF8.GetBytes(Workloads.Account(i).ToString())).ToArray();
        var count = 0L;
        var rejected = 0L;

        // The server runs untimed as long as it is then timed, as a node has before it is busy (its hot path is then
        // past the runtime's instrumented tiers); the timed part follows on the same connections.
        await RunAsync(Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency), timed: false);
        var started = Stopwatch.GetTimestamp();
        await RunAsync(started + (long)(seconds * Stopwatch.Frequency), timed: true);
        var tps = count / Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"{tps:F0} {rejected}");
        return 0;

        Task RunAsync(long deadline, bool timed) => Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var random = new Random(worker);
            var body = new System.Buffers.ArrayBufferWriter<byte>(batchSize * 200);
            using var json = new System.Text.Json.Utf8JsonWriter(body);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                body.ResetWrittenCount();
                json.Reset(body);
                WriteTransfers(json, random, addresses, batchSize);
                using var content = new ReadOnlyMemoryContent(body.WrittenMemory);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("/api/ledger/transactions", content);
                if (!timed)
                {
                    continue;
                }

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
    }

    /// <summary>A batch of random transfers written straight as UTF-8 JSON, so the load generator takes little of the machine the server runs on.</summary>
    private static void WriteTransfers(System.Text.Json.Utf8JsonWriter json, Random random, byte[][] addresses, int batchSize)
    {
        Span<byte> id = stackalloc byte[32];
        json.WriteStartObject();
        json.WriteStartArray("transactions"u8);
        for (var i = 0; i < batchSize; i++)
        {
            var from = random.Next(addresses.Length);
            var to = (from + 1 + random.Next(addresses.Length - 1)) % addresses.Length;
            Guid.NewGuid().TryFormat(id, out _, "N");
            json.WriteStartObject();
            json.WriteString("id"u8, id);
            json.WriteString("program"u8, "transfer"u8);
            json.WriteString("from"u8, addresses[from]);
            json.WriteString("to"u8, addresses[to]);
            json.WriteNumber("amount"u8, 1 + random.Next(100));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }
}
