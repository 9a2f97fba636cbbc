using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Npgsql;

namespace Depin.AllInOne.IntegrationTests;

/// <summary>The newcomer's flow across a SIGKILL of the host: registrations, keys and jobs live in PostgreSQL, money in the ledger.</summary>
public sealed class RestartTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly AllInOneHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    private IMarketplaceApi Api(string? key = null) => _host.Api(key);

    [Fact]
    public async Task A_customer_key_its_settled_job_and_its_balance_survive_a_sigkill_and_ctrl_c_then_stops_everything_cleanly()
    {
        var registration = await Api().RegisterCustomerAsync(new RegisterCustomerRequest("restart-customer"));
        await Api(AllInOneHost.AdminKey).AdminDepositAsync(new AdminDepositRequest(registration.CustomerId, 10_000_000));
        var customer = Api(registration.ApiKey);
        var parameters = JsonDocument.Parse("""{"challenge":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff","difficultyBits":6}""").RootElement;
        var job = await customer.SubmitJobAsync(new SubmitJobRequest("pow", parameters, 200_000));
        job = await AllInOneHost.WaitForStatusAsync(customer, job.JobId, JobStatuses.Settled);
        Assert.Equal(JobStatuses.Settled, job.Status);
        var before = await customer.GetCustomerAsync();
        var poolBefore = PoolProvider();

        _host.Kill();
        await _host.StartAsync();

        var after = await Api(registration.ApiKey).GetCustomerAsync();
        var jobs = await Api(registration.ApiKey).ListJobsAsync();
        using var account = new HttpRequestMessage(HttpMethod.Get, $"/api/ledger/accounts/{registration.LedgerAddress}");
        account.Headers.Add("X-Api-Key", registration.ApiKey);
        using var accountResponse = await _host.Http.SendAsync(account);

        Assert.Equal(before.Balance, after.Balance);
        Assert.Equal(10_000_000 - job.Price, after.Balance);
        Assert.Equal(JobStatuses.Settled, Assert.Single(jobs.Jobs, j => j.JobId == job.JobId).Status);
        Assert.Equal(HttpStatusCode.OK, accountResponse.StatusCode);
        Assert.Equal(after.Balance, (await accountResponse.Content.ReadFromJsonAsync<AccountDto>())!.Balance);

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        var exit = await _host.StopAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"Ctrl+C to exit: {stopping.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(0, exit);
        // The local pool came back as the provider it registered before the kill (its key kept beside its wallet).
        Assert.Equal(poolBefore, PoolProvider());
        Assert.DoesNotContain("crit:", _host.Output, StringComparison.Ordinal);
        var failAt = _host.Output.IndexOf("fail:", StringComparison.Ordinal);
        Assert.True(failAt < 0, failAt < 0 ? "" : _host.Output.Substring(failAt, Math.Min(3000, _host.Output.Length - failAt)));
        Assert.False(File.Exists(Path.Combine(_host.PostgresDirectory, "postmaster.pid")), "the host's PostgreSQL is still running after Ctrl+C");
    }

    [Fact]
    public async Task Every_job_view_history_and_queue_entry_comes_back_from_the_ledger_alone()
    {
        var registration = await Api().RegisterCustomerAsync(new RegisterCustomerRequest("rebuild-customer"));
        await Api(AllInOneHost.AdminKey).AdminDepositAsync(new AdminDepositRequest(registration.CustomerId, 10_000_000));
        var customer = Api(registration.ApiKey);
        JsonElement Pow(int n) => JsonDocument.Parse($$"""{"challenge":"{{n:x64}}","difficultyBits":6}""").RootElement;
        var settled = await customer.SubmitJobAsync(new SubmitJobRequest("pow", Pow(1), 200_000));
        // Bids under the local pool's ask (100,000 per mega-unit): never leased here.
        var queued = await customer.SubmitJobAsync(new SubmitJobRequest("pow", Pow(2), 50_000));
        var cancelled = await customer.SubmitJobAsync(new SubmitJobRequest("pow", Pow(3), 50_000));
        await customer.CancelJobAsync(cancelled.JobId);
        await AllInOneHost.WaitForStatusAsync(customer, settled.JobId, JobStatuses.Settled);
        var before = await Task.WhenAll(new[] { settled, queued, cancelled }.Select(j => customer.GetJobAsync(j.JobId)));
        var listed = await customer.ListJobsAsync();

        _host.Kill();
        // The marketplace keeps no job state of its own in PostgreSQL: there is nothing to drop but registrations.
        var jobRows = await DeleteJobGrainStateAsync();
        await _host.StartAsync();

        customer = Api(registration.ApiKey);
        var after = await Task.WhenAll(new[] { settled, queued, cancelled }.Select(j => customer.GetJobAsync(j.JobId)));
        var relisted = await customer.ListJobsAsync();

        Assert.Equal(0, jobRows);
        Assert.Equal([JobStatuses.Settled, JobStatuses.Queued, JobStatuses.Refunded], after.Select(j => j.Status));
        for (var i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i].History.Select(h => (h.Status, h.Detail)), after[i].History.Select(h => (h.Status, h.Detail)));
            Assert.Equal((before[i].Price, before[i].Fee, before[i].Attempts, before[i].ResultDigest), (after[i].Price, after[i].Fee, after[i].Attempts, after[i].ResultDigest));
            Assert.Equal(before[i].Parameters.GetRawText(), after[i].Parameters.GetRawText());
        }

        Assert.Equal(listed.Jobs.Select(j => (j.JobId, j.Status)), relisted.Jobs.Select(j => (j.JobId, j.Status)));
        Assert.Equal([cancelled.JobId, queued.JobId, settled.JobId], relisted.Jobs.Select(j => j.JobId));

        // The queued job is in the per-kind queue again: a worker whose ask fits its bid leases it.
        var (provider, _) = await _host.RegisterProviderAsync("rebuild-provider");
        var worker = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("cheap", [new DeviceInfo("cpu", 1L << 30, 4, 1)], 1, ["pow"]));
        var lease = await provider.LeaseAsync(worker.WorkerId, new LeaseRequest(0, 10));
        Assert.Equal(queued.JobId, lease.Content?.JobId);
    }

    private string PoolProvider() =>
        System.Text.RegularExpressions.Regex.Match(_host.Output, "registered as provider (prv_[0-9a-f]+)") is { Success: true } match ? match.Groups[1].Value : "(none yet)";

    /// <summary>Deletes any Orleans grain state of jobs from the host's PostgreSQL (left running by the kill) and returns how many rows there were.</summary>
    private async Task<int> DeleteJobGrainStateAsync()
    {
        var password = await File.ReadAllTextAsync(_host.PostgresDirectory + ".password");
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = _host.PostgresPort,
            Username = "postgres",
            Password = password.Trim(),
            Database = "depin",
        }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("DELETE FROM orleansstorage WHERE graintypestring ILIKE '%job%'", connection);
        return await command.ExecuteNonQueryAsync();
    }
}
