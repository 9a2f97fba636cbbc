using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Rewards.Wallets;
using Xunit.Abstractions;

namespace Depin.AllInOne.IntegrationTests;

/// <summary>
/// Crash trials: the real host (with its own PostgreSQL and local worker pool) is killed with SIGKILL at random moments
/// while customers register, are funded and submit jobs. Every 2xx the load generator received is first written to its
/// own fsynced log; after each restart the invariants are checked against that log.
/// </summary>
public sealed class CrashTrialTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const long Deposit = 10_000_000;

    /// <summary>Trials per run: 10 in CI, more with DEPIN_CRASH_TRIALS.</summary>
    private static readonly int Trials = int.TryParse(Environment.GetEnvironmentVariable("DEPIN_CRASH_TRIALS"), out var n) ? n : 10;

    private static readonly JsonElement Pow = JsonDocument.Parse("""{"challenge":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff","difficultyBits":4}""").RootElement;

    private readonly AllInOneHost _host = new(new Dictionary<string, string>
    {
        ["Marketplace__LeaseDuration"] = "00:00:03",
        ["Marketplace__RateLimitPermits"] = "1000000",
        ["Marketplace__SweepInterval"] = "00:00:02",
    });

    private AckLog _acks = null!;
    private long _attemptedDeposits;
    private int _inFlight;
    private int _cutOff;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _acks = new AckLog(Path.Combine(_host.Directory, "acks.log"));
    }

    public async Task DisposeAsync()
    {
        _acks.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Whatever_was_acknowledged_survives_sigkill_at_random_moments_and_every_escrow_ends_once()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}, {Trials} trials");
        for (var trial = 1; trial <= Trials; trial++)
        {
            using var stop = new CancellationTokenSource();
            var lanes = Enumerable.Range(0, 4).Select(_ => Task.Run(() => LaneAsync(stop.Token))).ToArray();
            var wait = random.Next(300, 2_500);
            await Task.Delay(wait);
            var inFlight = Volatile.Read(ref _inFlight);
            _host.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(lanes);
            output.WriteLine($"trial {trial}: SIGKILL after {wait} ms with {inFlight} requests in flight; acknowledged so far: {_acks.Customers.Count} customers, {_acks.Jobs.Count} jobs");

            await _host.StartAsync();
            await AssertAcknowledgedStateSurvivedAsync();
        }

        await AssertEveryJobEndsOnceAsync();
    }

    [Theory]
    [InlineData("ledger-committed:60")]
    [InlineData("job-completed:3")]
    [InlineData("registration:10")]
    public async Task Whatever_was_acknowledged_survives_a_kill_at_a_named_fault_point(string point)
    {
        _host.Kill();
        _host.SetEnvironment("DEPIN_FAULT_POINT", point);
        await _host.StartAsync();
        using var stop = new CancellationTokenSource();
        var lanes = Enumerable.Range(0, 4).Select(_ => Task.Run(() => LaneAsync(stop.Token))).ToArray();

        var died = await _host.WaitForExitAsync(TimeSpan.FromSeconds(60));
        await Task.WhenAll(lanes).WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        output.WriteLine($"{point}: the host killed itself with {Volatile.Read(ref _cutOff)} of 4 lanes waiting on a reply; acknowledged: {_acks.Customers.Count} customers, {_acks.Jobs.Count} jobs");
        Assert.True(died, $"the fault point {point} was never reached:\n{_host.Output}");
        Assert.Contains($"fault point {point.Split(':')[0]} reached", _host.Output, StringComparison.Ordinal);

        _host.SetEnvironment("DEPIN_FAULT_POINT", null);
        await _host.StartAsync();
        await AssertAcknowledgedStateSurvivedAsync();
        await AssertEveryJobEndsOnceAsync();
    }

    /// <summary>One customer after another: register, get funded by the admin, submit jobs until stopped.</summary>
    private async Task LaneAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var registration = await Call(() => _host.Api().RegisterCustomerAsync(new RegisterCustomerRequest("trial"), stop));
                _acks.Customer(registration);
                Interlocked.Add(ref _attemptedDeposits, Deposit);
                await Call(() => _host.Api(AllInOneHost.AdminKey).AdminDepositAsync(new AdminDepositRequest(registration.CustomerId, Deposit), stop));
                _acks.Deposit(registration.CustomerId, Deposit);
                var customer = _host.Api(registration.ApiKey);
                for (var i = 0; i < 20 && !stop.IsCancellationRequested; i++)
                {
                    var job = await Call(() => customer.SubmitJobAsync(new SubmitJobRequest("pow", Pow, 200_000), stop));
                    _acks.Job(registration.ApiKey, job.JobId);
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or Refit.ApiException or Refit.ApiRequestException or IOException)
        {
            // The host died under us: whatever was not acknowledged may or may not have happened.
            Interlocked.Increment(ref _cutOff);
        }
    }

    private async Task<T> Call<T>(Func<Task<T>> request)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            return await request();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AssertAcknowledgedStateSurvivedAsync()
    {
        foreach (var (id, key, _) in _acks.Customers)
        {
            var me = await _host.Api(key).GetCustomerAsync();
            Assert.Equal(id, me.CustomerId);
        }

        foreach (var (key, jobId) in _acks.Jobs)
        {
            var job = await _host.Api(key).GetJobAsync(jobId);
            Assert.Contains(job.Status, new[] { JobStatuses.Funded, JobStatuses.Queued, JobStatuses.Leased, JobStatuses.Completed, JobStatuses.Verified, JobStatuses.Settled, JobStatuses.Failed, JobStatuses.Cancelled, JobStatuses.Expired, JobStatuses.Refunded, JobStatuses.Rejected });
        }

        var total = await TotalHoldingsAsync();
        Assert.InRange(total, _acks.Deposited, Interlocked.Read(ref _attemptedDeposits));
    }

    /// <summary>Within a few lease timeouts every acknowledged job is settled or refunded, matching its ledger record, with no escrow left in it.</summary>
    private async Task AssertEveryJobEndsOnceAsync()
    {
        foreach (var (key, jobId) in _acks.Jobs)
        {
            var api = _host.Api(key);
            var deadline = DateTime.UtcNow.AddSeconds(90);
            var job = await api.GetJobAsync(jobId);
            while (job.Status is not (JobStatuses.Settled or JobStatuses.Refunded or JobStatuses.Rejected) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
                job = await api.GetJobAsync(jobId);
            }

            Assert.True(job.Status is JobStatuses.Settled or JobStatuses.Refunded or JobStatuses.Rejected, $"job {jobId} is still {job.Status}");
            var record = await Admin<JobRecordDto>($"/api/ledger/jobs/{jobId}");
            if (job.Status == JobStatuses.Rejected)
            {
                Assert.Null(record);
                continue;
            }

            Assert.Equal(job.Status == JobStatuses.Settled ? "settled" : record!.Status, record!.Status);
            Assert.Contains(record.Status, new[] { "settled", "failed", "cancelled", "expired" });
            Assert.Equal(0, record.Escrow);
        }

        Assert.InRange(await TotalHoldingsAsync(), _acks.Deposited, Interlocked.Read(ref _attemptedDeposits));
        output.WriteLine($"{_acks.Jobs.Count} acknowledged jobs all ended; money conserved");
    }

    /// <summary>
    /// All money the platform holds: customers, the treasury, the local pool's payout account, and escrow in open job
    /// records, read at one height: the worker keeps settling jobs while this reads, so a sum whose reads saw different
    /// heights is taken again.
    /// </summary>
    private async Task<long> TotalHoldingsAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var (total, consistent) = await TryTotalHoldingsAtOneHeightAsync();
            if (consistent)
            {
                return total;
            }

            Assert.True(DateTime.UtcNow < deadline, "the ledger never stayed at one height long enough to sum its holdings");
            await Task.Delay(200);
        }
    }

    private async Task<(long Total, bool Consistent)> TryTotalHoldingsAtOneHeightAsync()
    {
        var height = (await Admin<BlockDto>("/api/ledger/blocks/latest"))!.Height;
        var addresses = _acks.Customers.Select(c => c.Address).Append(LedgerAccounts.Treasury)
            .Append(Depin.Chain.LocalKeyFile.LoadOrCreate(Path.Combine(_host.Directory, "pool-wallet.json")).Address.ToString());
        long total = 0;
        var consistent = true;
        foreach (var address in addresses)
        {
            var account = (await Admin<AccountDto>($"/api/ledger/accounts/{address}"))!;
            total += account.Balance;
            consistent &= account.Height == height;
        }

        var open = (await Admin<OpenJobsDto>("/api/ledger/jobs/open?limit=100000"))!;
        foreach (var job in open.Jobs)
        {
            var record = (await Admin<JobRecordDto>($"/api/ledger/jobs/{job}"))!;
            total += record.Escrow;
            consistent &= record.Height == height;
        }

        consistent &= (await Admin<BlockDto>("/api/ledger/blocks/latest"))!.Height == height;
        return (total, consistent);
    }

    private async Task<T?> Admin<T>(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", AllInOneHost.AdminKey);
        using var response = await _host.Http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>();
    }

    /// <summary>The load generator's log of acknowledged requests, fsynced line by line before it counts.</summary>
    private sealed class AckLog(string path) : IDisposable
    {
        private readonly FileStream _file = new(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        private readonly Lock _lock = new();

        public List<(string Id, string Key, string Address)> Customers { get; } = [];

        public List<(string Key, string JobId)> Jobs { get; } = [];

        public long Deposited { get; private set; }

        public void Customer(CustomerRegistration registration) =>
            Append($"customer {registration.CustomerId} {registration.ApiKey} {registration.LedgerAddress}", () => Customers.Add((registration.CustomerId, registration.ApiKey, registration.LedgerAddress)));

        public void Deposit(string customerId, long amount) => Append($"deposit {customerId} {amount}", () => Deposited += amount);

        public void Job(string key, string jobId) => Append($"job {key} {jobId}", () => Jobs.Add((key, jobId)));

        public void Dispose() => _file.Dispose();

        private void Append(string line, Action record)
        {
            lock (_lock)
            {
                _file.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
                _file.Flush(flushToDisk: true);
                record();
            }
        }
    }
}
