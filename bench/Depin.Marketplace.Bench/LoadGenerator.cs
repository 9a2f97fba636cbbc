using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Net.Http.Json;
using Depin.Contracts.Marketplace;
using Depin.Contracts.Rewards;
using Depin.Rewards.Wallets;
using Depin.Kernels;
using Refit;

namespace Depin.Marketplace.Bench;

/// <summary>
/// Customers submit small proof-of-work jobs; simulated worker lanes lease them over REST, solve them with the reference
/// kernel and upload results, so every job runs the whole path (escrow lock, queue, lease, verify, settlement).
/// Phase 1 measures accepted submissions and accepted results (verified, then settled) per second at full load; once its
/// backlog is leased, phase 2 submits at half the accepted rate and measures submit → lease latency in steady state, and
/// phase 3 at a twentieth of it (the path's own latency, with little waiting for the CPU).
/// At the end every job's status is read back: all must settle.
/// </summary>
internal static class LoadGenerator
{
    private const int Submitters = 64;
    private const int Customers = 128;

    /// <summary>How the refused submissions were answered (HTTP status → count).</summary>
    private static readonly ConcurrentDictionary<int, int> RefusedStatuses = new();
    private const int Workers = 4;
    private const int LanesPerWorker = 16;

    /// <summary>The line this process prints when the timed phases begin (the parent starts counting CPU time there).</summary>
    public const string TimedMarker = "# timed phases begin";

    /// <summary>The line this process prints when every timed job's result was accepted (the parent stops counting).</summary>
    public const string TimedEndMarker = "# timed phases end";

    /// <summary>The line that gives the number of jobs the timed phases submitted (all of which settle before the end).</summary>
    public const string TimedJobsPrefix = "# timed jobs: ";

    public static async Task<int> RunAsync(string url, string adminKey, double seconds, int warmupRounds, int jobsPerLease, bool uploadEach = false)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var anonymous = Api(handler, url, null);
        var wallet = Depin.Chain.LocalKeyFile.Create(Path.Combine(Path.GetTempPath(), $"depin-bench-wallet-{Guid.NewGuid():N}.json"));
        using var plain = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(url) };
        using var challengeResponse = await plain.PostAsJsonAsync("/api/wallets/challenges", new WalletChallengeRequest(wallet.Address.ToString()));
        var challenge = (await challengeResponse.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<WalletChallengeDto>())!;
        var provider = await anonymous.RegisterProviderAsync(new RegisterProviderRequest("bench-provider", wallet.Address.ToString(), wallet.SignChallenge(challenge.Message)));
        File.Delete(wallet.Path);
        var providerApi = Api(handler, url, provider.ApiKey);
        var devices = Enumerable.Range(0, LanesPerWorker).Select(i => new DeviceInfo($"sim-{i}", 1L << 34, 64, 1_000)).ToArray();
        var workers = new List<string>();
        for (var w = 0; w < Workers; w++)
        {
            workers.Add((await providerApi.RegisterWorkerAsync(new RegisterWorkerRequest($"bench-worker-{w}", devices, 1_000, ["pow"]))).WorkerId);
        }

        var customers = new List<IMarketplaceApi>();
        for (var c = 0; c < Customers; c++)
        {
            var registration = await anonymous.RegisterCustomerAsync(new RegisterCustomerRequest($"bench-customer-{c}"));
            var api = Api(handler, url, registration.ApiKey);
            await Api(handler, url, adminKey).AdminDepositAsync(new AdminDepositRequest(registration.CustomerId, 1_000_000_000_000));
            customers.Add(api);
        }

        var submitted = new ConcurrentDictionary<string, long>();
        var leased = new ConcurrentDictionary<string, bool>();
        var latencies = new LeaseLatencies();
        // Results accepted, lease requests that took jobs, jobs they took.
        var results = new long[3];
        using var stop = new CancellationTokenSource();
        var lanes = workers.SelectMany(worker => Enumerable.Range(0, LanesPerWorker).Select(lane => Lane(providerApi, worker, lane, jobsPerLease, uploadEach, submitted, leased, latencies, results, stop.Token))).ToArray();
        var heartbeats = workers.Select(worker => Heartbeat(providerApi, worker, stop.Token)).ToArray();

        // Warm-up (not timed), rounds as long as the timed phase, each until its backlog is leased: JIT and tiered
        // compilation in every process (a service's hot paths leave the runtime's instrumented tier only after minutes of
        // load on two cores: see docs/performance.md), connection pools, grain activations.
        for (var round = 0; round < warmupRounds; round++)
        {
            await Submit(customers, submitted, latencies, seconds, targetPerSecond: null);
            var warm = Stopwatch.StartNew();
            while (leased.Count < submitted.Count && warm.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50);
            }
        }

        var warmedUp = submitted.Count;
        Console.WriteLine(TimedMarker);
        latencies.Take();
        var before = Interlocked.Read(ref results[0]);
        var (leasesBefore, leasedBefore) = (Interlocked.Read(ref results[1]), Interlocked.Read(ref results[2]));
        var started = Stopwatch.GetTimestamp();
        var (rate, rejected) = await Submit(customers, submitted, latencies, seconds, targetPerSecond: null);
        var completedRate = (Interlocked.Read(ref results[0]) - before) / Stopwatch.GetElapsedTime(started).TotalSeconds;
        var leaseBatch = (double)(Interlocked.Read(ref results[2]) - leasedBefore) / Math.Max(1, Interlocked.Read(ref results[1]) - leasesBefore);
        var fullLoadLatencies = latencies.Take();
        var drain = Stopwatch.StartNew();
        while (leased.Count < submitted.Count && drain.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }

        var drained = drain.Elapsed;
        latencies.Take();
        var (halfRate, _) = await Submit(customers, submitted, latencies, seconds, targetPerSecond: rate / 2);
        await Task.Delay(2_000);
        var halfLoadLatencies = latencies.Take();
        var done = Stopwatch.StartNew();
        while (Interlocked.Read(ref results[0]) < submitted.Count && done.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }

        await Task.Delay(1_000);
        Console.WriteLine(TimedEndMarker);
        var timedJobs = submitted.Count - warmedUp;

        // Light load, after the CPU window (which stays the throughput phases'): a twentieth of the accepted rate, where a
        // job's latency is its path through the platform with little queueing for the CPU.
        latencies.Take();
        var (lightRate, _) = await Submit(customers, submitted, latencies, seconds, targetPerSecond: rate / 20);
        await Task.Delay(2_000);
        var lightLoadLatencies = latencies.Take();
        var settle = Stopwatch.StartNew();
        var settled = 0;
        while (settle.Elapsed < TimeSpan.FromSeconds(60))
        {
            settled = await CountSettledAsync(customers);
            if (settled >= submitted.Count)
            {
                break;
            }

            await Task.Delay(500);
        }

        stop.Cancel();
        await Task.WhenAll(lanes.Concat(heartbeats));

        Console.WriteLine(TimedJobsPrefix + timedJobs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine();
        Console.WriteLine($"warm-up: {warmupRounds} round(s) of {seconds:F0} s at full load, {warmedUp:N0} jobs, before the timed phases");
        Console.WriteLine("phase                          | jobs/s accepted | submit→lease p50 | p99      | samples");
        Console.WriteLine("-------------------------------|-----------------|------------------|----------|--------");
        Console.WriteLine($"full load ({Submitters} submitters)      | {rate,15:N0} | {Percentile(fullLoadLatencies, 0.5),13:F1} ms | {Percentile(fullLoadLatencies, 0.99),5:F1} ms | {fullLoadLatencies.Length}");
        Console.WriteLine($"half load ({rate / 2:N0}/s target)     | {halfRate,15:N0} | {Percentile(halfLoadLatencies, 0.5),13:F1} ms | {Percentile(halfLoadLatencies, 0.99),5:F1} ms | {halfLoadLatencies.Length}");
        Console.WriteLine($"light load ({rate / 20:N0}/s target)     | {lightRate,15:N0} | {Percentile(lightLoadLatencies, 0.5),13:F1} ms | {Percentile(lightLoadLatencies, 0.99),5:F1} ms | {lightLoadLatencies.Length}");
        Console.WriteLine($"results accepted at full load: {completedRate:N0} jobs/s (verified, then settled by the ledger); backlog leased {drained.TotalSeconds:F1} s after full load; {leaseBatch:F2} jobs per lease request");
        Console.WriteLine($"settled: {settled:N0} of {submitted.Count:N0} accepted jobs; refused submissions at full load: {rejected}{(RefusedStatuses.IsEmpty ? "" : " (every phase's refusals: " + string.Join(", ", RefusedStatuses.OrderBy(p => p.Key).Select(p => $"HTTP {p.Key} × {p.Value}")) + ")")}; lanes: {Workers}×{LanesPerWorker}, up to {jobsPerLease} job(s) per lease request; customers: {Customers}; jobs: pow, difficulty 4 bits, solved by the reference kernel");
        return settled >= submitted.Count ? 0 : 1;
    }

    private static async Task<int> CountSettledAsync(List<IMarketplaceApi> customers)
    {
        var settled = 0;
        foreach (var customer in customers)
        {
            int? before = null;
            do
            {
                var page = await customer.ListJobsAsync(500, before);
                settled += page.Jobs.Count(j => j.Status == JobStatuses.Settled);
                before = page.Next;
            }
            while (before is not null);
        }

        return settled;
    }

    private static IMarketplaceApi Api(HttpMessageHandler handler, string url, string? key)
    {
        var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return RestService.For<IMarketplaceApi>(http);
    }

    private static async Task<(double Rate, long Rejected)> Submit(List<IMarketplaceApi> customers, ConcurrentDictionary<string, long> submitted, LeaseLatencies latencies, double seconds, double? targetPerSecond)
    {
        var parameters = JsonDocument.Parse("""{"challenge":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff","difficultyBits":4}""").RootElement;
        var accepted = 0L;
        var rejected = 0L;
        var issued = 0L;
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(seconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, Submitters).Select(async s =>
        {
            var next = s;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (targetPerSecond is { } target)
                {
                    var due = started + (long)(Interlocked.Increment(ref issued) / target * Stopwatch.Frequency);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }
                }

                var before = Stopwatch.GetTimestamp();
                try
                {
                    var api = customers[next % customers.Count];
                    next += Submitters;
                    var job = await api.SubmitJobAsync(new SubmitJobRequest("pow", parameters, 10_000, null, Guid.NewGuid().ToString()));
                    submitted[job.JobId] = before;
                    latencies.Submitted(job.JobId, before);
                    Interlocked.Increment(ref accepted);
                }
                catch (ApiException ex)
                {
                    Interlocked.Increment(ref rejected);
                    RefusedStatuses.AddOrUpdate((int)ex.StatusCode, 1, (_, n) => n + 1);
                }
            }
        }));
        return (accepted / Stopwatch.GetElapsedTime(started).TotalSeconds, rejected);
    }

    private static async Task Lane(
        IMarketplaceApi api, string worker, int lane, int jobsPerLease, bool uploadEach, ConcurrentDictionary<string, long> submitted, ConcurrentDictionary<string, bool> leased,
        LeaseLatencies latencies, long[] results, CancellationToken stop)
    {
        var pow = KernelRegistry.CreateDefault().Get("pow");
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var response = await api.LeaseManyAsync(worker, new LeaseRequest(lane, 2, jobsPerLease), stop);
                if (response.StatusCode != HttpStatusCode.OK || response.Content is not { } taken)
                {
                    continue;
                }

                var received = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref results[1]);
                Interlocked.Add(ref results[2], taken.Leases.Count);
                foreach (var lease in taken.Leases)
                {
                    latencies.Leased(lease.JobId, received);
                    leased[lease.JobId] = true;
                }

                // As the worker agent does with short jobs: the lease's results go up together (one alone on its own).
                var uploads = new List<JobResultUpload>(taken.Leases.Count);
                foreach (var lease in taken.Leases)
                {
                    var result = pow.RunReference(lease.Parameters, []);
                    uploads.Add(new JobResultUpload(lease.JobId, lease.FencingToken, Convert.ToBase64String(result), ResultDigest.Sha256Hex(result), lease.TraceParent));
                }

                var verdicts = new List<ResultVerdict?>();
                if (uploads.Count > 1 && !uploadEach)
                {
                    verdicts.AddRange((await api.SubmitResultsAsync(worker, new SubmitResultsRequest(uploads), stop)).Results.Select(r => r.Verdict));
                }
                else
                {
                    foreach (var upload in uploads)
                    {
                        verdicts.Add(await api.SubmitResultAsync(worker, upload.JobId, new SubmitResultRequest(upload.FencingToken, upload.ResultBase64, upload.Digest), stop));
                    }
                }

                Interlocked.Add(ref results[0], verdicts.Count(v => v is { Accepted: true }));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ApiException)
            {
            }
        }
    }

    private static async Task Heartbeat(IMarketplaceApi api, string worker, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await api.HeartbeatAsync(worker, new HeartbeatRequest(), stop);
                await Task.Delay(2_000, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ApiException)
            {
            }
        }
    }

    private static double Percentile(double[] values, double p)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        Array.Sort(values);
        return values[Math.Min(values.Length - 1, (int)(p * values.Length))];
    }
}
