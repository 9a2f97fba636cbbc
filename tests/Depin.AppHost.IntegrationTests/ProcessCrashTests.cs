using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Contracts.Rewards;
using Npgsql;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Depin.AppHost.IntegrationTests;

/// <summary>
/// The durability crash trials, per process on the Aspire topology: under a steady load of jobs from several customers,
/// the ledger, PostgreSQL and Redis (with messages pending) are each killed with SIGKILL and started again. Afterwards every
/// job the platform acknowledged has ended, settled or refunded once, each customer's balance is its deposit less what its
/// settled jobs cost, and each closed epoch counted exactly the work units the ledger settled in it.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ProcessCrashTests(PlatformFixture platform, ITestOutputHelper output)
{
    private const long Deposit = 50_000_000;
    private const int Customers = 8;
    private static readonly JsonElement Pow = JsonDocument.Parse("""{"challenge":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff","difficultyBits":4}""").RootElement;
    private static readonly string[] FinalLedgerStatuses = ["settled", "failed", "cancelled", "expired"];

    private readonly ConcurrentDictionary<string, CustomerRegistration> _acknowledged = new();
    private int _refused;

    [Fact]
    public async Task Sigkill_of_the_ledger_postgres_and_redis_under_load_loses_nothing_acknowledged_pays_once_and_rewards_count_what_settled()
    {
        var customers = new List<CustomerRegistration>();
        for (var i = 0; i < Customers; i++)
        {
            var customer = await platform.Api().RegisterCustomerAsync(new RegisterCustomerRequest($"crash-{i}"));
            await platform.Api(PlatformFixture.AdminKey).AdminDepositAsync(new AdminDepositRequest(customer.CustomerId, Deposit));
            customers.Add(customer);
        }

        using var stop = new CancellationTokenSource();
        var lanes = customers.Select(c => Task.Run(() => LaneAsync(c, stop.Token))).ToArray();
        try
        {
            await LoadAsync(20);
            await CrashLedgerAsync();
            await LoadAsync(20);
            await CrashPostgresAsync();
            await LoadAsync(20);
            await CrashRedisWithMessagesPendingAsync();
            await LoadAsync(20);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(lanes);
        }

        output.WriteLine($"{_acknowledged.Count} jobs acknowledged, {_refused} submissions refused or cut off during the faults");
        await AssertEveryJobEndedOnceAndBalancesAreExactAsync(customers);
        await AssertRewardsCountedTheSettledWorkAsync();
    }

    private async Task LaneAsync(CustomerRegistration customer, CancellationToken stop)
    {
        var api = platform.Api(customer.ApiKey);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var job = await api.SubmitJobAsync(new SubmitJobRequest("pow", Pow, 200_000), stop);
                _acknowledged[job.JobId] = customer;
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or Refit.ApiException or TaskCanceledException or IOException)
            {
                // Not acknowledged: it may or may not have happened, and the checks below hold either way.
                Interlocked.Increment(ref _refused);
                await Task.Delay(500, CancellationToken.None);
            }
        }
    }

    /// <summary>Waits until <paramref name="more"/> further jobs were acknowledged: the platform takes work again.</summary>
    private async Task LoadAsync(int more)
    {
        var target = _acknowledged.Count + more;
        await PlatformFixture.WaitForAsync(() => Task.FromResult(_acknowledged.Count), n => n >= target, TimeSpan.FromSeconds(120));
    }

    private async Task CrashLedgerAsync()
    {
        var (resource, launcher) = (await platform.App.PidsAsync("ledger")).Single();
        var pid = ResourceProcesses.ProgramUnder(launcher, "depin-ledger");
        ResourceProcesses.Kill(pid);
        output.WriteLine($"SIGKILL of the ledger (pid {pid}) with {_acknowledged.Count} jobs acknowledged");

        using var gateway = platform.Gateway(PlatformFixture.AdminKey);
        using var down = await WaitForStatusAsync(gateway, "/api/ledger/blocks/latest", HttpStatusCode.ServiceUnavailable);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        var problem = await down.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Equal("ledger", problem.GetProperty("service").GetString());
        // The marketplace stays healthy (DCP's proxy spreads these over both replicas) and serves what it knows.
        using var marketplace = platform.App.CreateHttpClient("marketplace");
        for (var i = 0; i < 4; i++)
        {
            using var health = await marketplace.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        var (someJob, itsCustomer) = _acknowledged.First();
        Assert.Equal(someJob, (await platform.Api(itsCustomer.ApiKey).GetJobAsync(someJob)).JobId);

        await RestartAsync(resource, async () => (await gateway.GetAsync("/api/ledger/blocks/latest")).IsSuccessStatusCode);
    }

    private async Task CrashPostgresAsync()
    {
        var (resource, launcher) = (await platform.App.PidsAsync("postgres")).Single();
        var pid = ResourceProcesses.ProgramUnder(launcher, "postgres");
        var connectionString = await platform.App.GetConnectionStringAsync("postgres");
        ResourceProcesses.Kill(pid);
        output.WriteLine($"SIGKILL of PostgreSQL's postmaster (pid {pid}) with {_acknowledged.Count} jobs acknowledged");
        await RestartAsync(resource, async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return (int)(await command.ExecuteScalarAsync())! == 1;
        });
    }

    private async Task CrashRedisWithMessagesPendingAsync()
    {
        var (resource, launcher) = (await platform.App.PidsAsync("pubsub")).Single();
        var pid = ResourceProcesses.ProgramUnder(launcher, "redis-server");
        var options = ConfigurationOptions.Parse((await platform.App.GetConnectionStringAsync("pubsub"))!);
        options.AbortOnConnectFail = false;
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(options))
        {
            // Killed the moment some event is delivered but not yet acknowledged, or not yet delivered to a subscriber.
            var waiting = await PlatformFixture.WaitForAsync(() => UnacknowledgedAsync(redis), n => n > 0, TimeSpan.FromSeconds(60));
            ResourceProcesses.Kill(pid);
            output.WriteLine($"SIGKILL of Redis (pid {pid}) with {waiting} events pending or unread and {_acknowledged.Count} jobs acknowledged");
        }

        await RestartAsync(resource, async () =>
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
            return redis.IsConnected && (await redis.GetDatabase().PingAsync()) < TimeSpan.FromSeconds(5);
        });
    }

    /// <summary>Events in the topic streams that some subscriber has not acknowledged (pending) or not yet read (lag).</summary>
    private static async Task<long> UnacknowledgedAsync(ConnectionMultiplexer redis)
    {
        var db = redis.GetDatabase();
        long total = 0;
        await foreach (var key in redis.GetServers()[0].KeysAsync(pattern: "marketplace.*"))
        {
            if (await db.KeyTypeAsync(key) != RedisType.Stream)
            {
                continue;
            }

            foreach (var group in await db.StreamGroupInfoAsync(key))
            {
                total += group.PendingMessageCount + (group.Lag ?? 0);
            }
        }

        return total;
    }

    /// <summary>Starts the resource again (Aspire's start command) until <paramref name="up"/> says it serves.</summary>
    private async Task RestartAsync(string resource, Func<Task<bool>> up)
    {
        var clock = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            await platform.App.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand);
            var tryUntil = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < tryUntil)
            {
                try
                {
                    if (await up())
                    {
                        output.WriteLine($"{resource} serving again {clock.Elapsed.TotalSeconds:F1} s after the kill's restart began");
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or NpgsqlException or RedisException or IOException or TaskCanceledException or System.Net.Sockets.SocketException)
                {
                }

                await Task.Delay(250);
            }

            Assert.True(DateTime.UtcNow < deadline, $"{resource} did not serve again within 2 minutes of its restart");
        }
    }

    private static async Task<HttpResponseMessage> WaitForStatusAsync(HttpClient http, string path, HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            // The gateway notices a dead service within seconds; a request sent before that may hang, so each try is short.
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync(path, attempt.Token);
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < deadline)
            {
                continue;
            }

            if (response.StatusCode == status || DateTime.UtcNow > deadline)
            {
                Assert.Equal(status, response.StatusCode);
                return response;
            }

            response.Dispose();
            await Task.Delay(100);
        }
    }

    private async Task AssertEveryJobEndedOnceAndBalancesAreExactAsync(List<CustomerRegistration> customers)
    {
        using var ledger = platform.Ledger();
        foreach (var customer in customers)
        {
            var api = platform.Api(customer.ApiKey);
            foreach (var job in _acknowledged.Where(a => a.Value.CustomerId == customer.CustomerId).Select(a => a.Key))
            {
                var view = await PlatformFixture.WaitForAsync(() => api.GetJobAsync(job), j => j.Status is JobStatuses.Settled or JobStatuses.Refunded, TimeSpan.FromMinutes(3));
                Assert.True(view.Status is JobStatuses.Settled or JobStatuses.Refunded, $"{job}: {view.Status}");
            }

            // Every job the ledger holds for the customer, acknowledged or not, is final, and each was paid for at most once.
            var records = await PlatformFixture.WaitForAsync(() => JobsAsync(ledger, "customer", customer.LedgerAddress), r => r.All(j => FinalLedgerStatuses.Contains(j.Status)), TimeSpan.FromMinutes(3));
            var ids = records.Select(r => r.Job).ToHashSet();
            Assert.All(_acknowledged.Where(a => a.Value.CustomerId == customer.CustomerId), a => Assert.Contains(a.Key, ids));
            foreach (var record in records)
            {
                var history = (await ledger.GetFromJsonAsync<JobHistoryDto>($"/api/ledger/jobs/{record.Job}/history"))!;
                Assert.Equal(record.Status == "settled" ? 1 : 0, history.Events.Count(e => e.Program == "job-settle" && e.Succeeded));
                Assert.Equal(0, record.Escrow);
            }

            var balance = (await ledger.GetFromJsonAsync<AccountDto>($"/api/ledger/accounts/{customer.LedgerAddress}"))!.Balance;
            Assert.Equal(Deposit - records.Where(r => r.Status == "settled").Sum(r => r.Price), balance);
        }
    }

    private async Task AssertRewardsCountedTheSettledWorkAsync()
    {
        using var ledger = platform.Ledger();
        var provider = (await platform.PoolProviderAsync()).PayoutAddress;
        var settled = (await JobsAsync(ledger, "provider", provider)).Where(j => j.Status == "settled").ToArray();
        var last = settled.Max(j => j.FinishedAt!.Value);
        using var gateway = platform.Gateway();
        var epochs = await PlatformFixture.WaitForAsync(() => ClosedEpochsAsync(gateway), e => e.Count > 0 && e.Max(x => x.End) > last, TimeSpan.FromMinutes(2));
        var counted = 0L;
        foreach (var epoch in epochs)
        {
            var units = settled.Where(j => j.FinishedAt >= epoch.Start && j.FinishedAt < epoch.End).Sum(j => j.WorkUnits);
            Assert.True(units == epoch.WorkUnits, $"epoch {epoch.Epoch} [{epoch.Start:O}, {epoch.End:O}): rewards counted {epoch.WorkUnits} units, the ledger settled {units}");
            counted += epoch.WorkUnits;
        }

        output.WriteLine($"{epochs.Count} closed epochs counted {counted} work units; the ledger settled {settled.Where(j => j.FinishedAt < epochs.Max(e => e.End)).Sum(j => j.WorkUnits)} in them");
        Assert.True(counted > 0);
    }

    private static async Task<List<EpochDto>> ClosedEpochsAsync(HttpClient gateway)
    {
        var epochs = new List<EpochDto>();
        long? before = null;
        do
        {
            using var response = await gateway.GetAsync($"/api/rewards/epochs?take=100{(before is null ? "" : $"&before={before}")}");
            if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
            {
                // A back end still recovering from the faults (503 with Retry-After): the caller reads again.
                return [];
            }

            var page = (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<EpochListDto>())!;
            epochs.AddRange(page.Epochs.Where(e => e.Status == "closed"));
            before = page.NextBefore;
        }
        while (before is not null);
        return epochs;
    }

    private static async Task<List<JobRecordDto>> JobsAsync(HttpClient ledger, string role, string address)
    {
        var jobs = new Dictionary<string, JobRecordDto>();
        int? before = null;
        do
        {
            var page = (await ledger.GetFromJsonAsync<JobPageDto>($"/api/ledger/jobs?{role}={address}&limit=1000{(before is null ? "" : $"&before={before}")}"))!;
            foreach (var job in page.Jobs)
            {
                jobs.TryAdd(job.Job, job);
            }

            before = page.Next;
        }
        while (before is not null);
        return [.. jobs.Values];
    }
}
