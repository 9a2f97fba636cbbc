using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;

namespace Depin.AppHost.IntegrationTests;

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
        Assert.DoesNotContain("crit:", _host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", _host.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_host.PostgresDirectory, "postmaster.pid")), "the host's PostgreSQL is still running after Ctrl+C");
    }
}
