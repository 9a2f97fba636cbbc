using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Contracts.Rewards;
using Depin.Rewards.Wallets;
using Refit;

namespace Depin.AllInOne.IntegrationTests;

public sealed class AllInOneHostTests(AllInOneHost host) : IClassFixture<AllInOneHost>
{
    private IMarketplaceApi Api(string? key = null) => host.Api(key);

    [Fact]
    public async Task A_job_submitted_to_the_all_in_one_host_is_run_by_the_local_pool_and_settled()
    {
        var registration = await Api().RegisterCustomerAsync(new RegisterCustomerRequest("it-customer"));
        var customer = Api(registration.ApiKey);
        await Api(AllInOneHost.AdminKey).AdminDepositAsync(new AdminDepositRequest(registration.CustomerId, 10_000_000));
        var parameters = JsonDocument.Parse("""{"challenge":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff","difficultyBits":6}""").RootElement;

        var job = await customer.SubmitJobAsync(new SubmitJobRequest("pow", parameters, 200_000));
        job = await AllInOneHost.WaitForStatusAsync(customer, job.JobId, JobStatuses.Settled);

        Assert.Equal(JobStatuses.Settled, job.Status);
        using var own = new HttpRequestMessage(HttpMethod.Get, $"/api/ledger/accounts/{registration.LedgerAddress}");
        own.Headers.Add("X-Api-Key", registration.ApiKey);
        using var ownResponse = await host.Http.SendAsync(own);
        var balance = await ownResponse.Content.ReadFromJsonAsync<AccountDto>();
        using var recordResponse = await Send(HttpMethod.Get, $"/api/ledger/jobs/{job.JobId}", registration.ApiKey);
        var record = await recordResponse.Content.ReadFromJsonAsync<JobRecordDto>();
        Assert.Equal(("settled", job.Price, 0L), (record!.Status, (long?)record.Price, record.Escrow));
        Assert.Equal(10_000_000 - job.Price, balance!.Balance);
    }

    [Fact]
    public async Task Provider_registration_requires_a_signed_wallet_challenge()
    {
        var wallet = Depin.Chain.LocalKeyFile.Create(Path.Combine(Path.GetTempPath(), $"it-wallet-{Guid.NewGuid():N}.json"));
        var address = wallet.Address.ToString();

        var unsigned = await Assert.ThrowsAsync<ValidationApiException>(() => Api().RegisterProviderAsync(new RegisterProviderRequest("rig", address)));
        Assert.Equal(HttpStatusCode.BadRequest, unsigned.StatusCode);
        Assert.True(unsigned.Content!.Errors.ContainsKey("signature"));

        using var response = await host.Http.PostAsJsonAsync("/api/wallets/challenges", new WalletChallengeRequest(address));
        var challenge = (await response.Content.ReadFromJsonAsync<WalletChallengeDto>())!;
        var registration = await Api().RegisterProviderAsync(new RegisterProviderRequest("rig", address, wallet.SignChallenge(challenge.Message)));
        Assert.Equal(address.ToLowerInvariant(), registration.PayoutAddress);

        var replayed = await Assert.ThrowsAsync<ValidationApiException>(() => Api().RegisterProviderAsync(new RegisterProviderRequest("rig", address, wallet.SignChallenge(challenge.Message))));
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        File.Delete(wallet.Path);
    }

    [Fact]
    public async Task The_admin_overview_needs_the_admin_key_and_shows_every_service_with_the_marketplace_fed_by_its_events()
    {
        using var anonymous = await host.Http.GetAsync("/api/admin/overview");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var registration = await Api().RegisterCustomerAsync(new RegisterCustomerRequest("overview-customer"));
        var customer = Api(registration.ApiKey);
        await Api(AllInOneHost.AdminKey).AdminDepositAsync(new AdminDepositRequest(registration.CustomerId, 10_000_000));
        var parameters = JsonDocument.Parse("""{"challenge":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff","difficultyBits":4}""").RootElement;
        var job = await customer.SubmitJobAsync(new SubmitJobRequest("pow", parameters, 200_000));
        await AllInOneHost.WaitForStatusAsync(customer, job.JobId, JobStatuses.Settled);

        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/overview");
            request.Headers.Add("X-Api-Key", AllInOneHost.AdminKey);
            using var response = await host.Http.SendAsync(request);
            using var overview = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var sections = overview.RootElement.GetProperty("sections");
            Assert.True(sections.TryGetProperty("ledger", out _));
            Assert.True(sections.TryGetProperty("rewards", out _));
            var marketplace = sections.GetProperty("marketplace");
            var seen = marketplace.GetProperty("recentJobs").EnumerateArray()
                .Any(j => j.GetProperty("job").GetString() == job.JobId[..8] && j.GetProperty("outcome").GetString() == "verified");
            if (seen && marketplace.GetProperty("jobsFunded").GetInt64() >= 1 && marketplace.GetProperty("jobsSettled").GetInt64() >= 1)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < until, "The overview never showed the settled job: " + marketplace);
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Without_a_sidecar_nobody_can_post_events_to_the_host()
    {
        using var subscriptions = JsonDocument.Parse(await host.Http.GetStringAsync("/dapr/subscribe"));
        using var posted = await host.Http.PostAsync("/events/marketplace/activity/job-verified", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Empty(subscriptions.RootElement.EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/health")]
    public async Task The_host_serves_its_public_pages(string path)
    {
        using var response = await host.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/orleans/")]
    [InlineData("/hangfire")]
    [InlineData("/api/admin/overview")]
    public async Task Each_admin_surface_refuses_a_request_without_the_admin_key_and_serves_one_with_it(string path)
    {
        using var anonymous = await host.Http.GetAsync(path);
        using var wrong = await Send(HttpMethod.Get, path, "dev-admin-key");
        using var admin = await Send(HttpMethod.Get, path, AllInOneHost.AdminKey);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task A_browser_opens_an_admin_dashboard_with_the_key_once_and_then_by_cookie()
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = host.Http.BaseAddress };

        using var first = await browser.GetAsync($"/orleans/?api-key={AllInOneHost.AdminKey}");
        using var later = await browser.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("customer")]
    [InlineData("dev-admin-key")]
    [InlineData(AllInOneHost.AdminKey)]
    public async Task A_ledger_write_from_the_public_url_is_refused_and_mints_nothing(string? key)
    {
        var target = (await Api().RegisterCustomerAsync(new RegisterCustomerRequest("it-minter"))).LedgerAddress;
        var presented = key == "customer" ? (await Api().RegisterCustomerAsync(new RegisterCustomerRequest("it-caller"))).ApiKey : key;
        var body = new SubmitTransactionsRequest([new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: target, Amount: 999_999_999_999)]);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ledger/transactions") { Content = JsonContent.Create(body) };
        if (presented is not null)
        {
            request.Headers.Add("X-Api-Key", presented);
        }

        using var response = await host.Http.SendAsync(request);
        using var account = await Send(HttpMethod.Get, $"/api/ledger/accounts/{target}", AllInOneHost.AdminKey);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, (await account.Content.ReadFromJsonAsync<AccountDto>())!.Balance);
    }

    [Fact]
    public async Task The_faucet_is_refused_outside_development()
    {
        var registration = await Api().RegisterCustomerAsync(new RegisterCustomerRequest("it-faucet"));

        var refused = await Assert.ThrowsAnyAsync<ApiException>(() => Api(registration.ApiKey).FundAsync(new FundRequest(1_000)));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_customer_reads_its_own_ledger_account_and_not_another_customers()
    {
        var alice = await Api().RegisterCustomerAsync(new RegisterCustomerRequest("it-alice"));
        var bob = await Api().RegisterCustomerAsync(new RegisterCustomerRequest("it-bob"));

        using var own = await Send(HttpMethod.Get, $"/api/ledger/accounts/{alice.LedgerAddress}", alice.ApiKey);
        using var other = await Send(HttpMethod.Get, $"/api/ledger/accounts/{bob.LedgerAddress}", alice.ApiKey);
        using var otherProof = await Send(HttpMethod.Get, $"/api/ledger/accounts/{bob.LedgerAddress}/proof", alice.ApiKey);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherProof.StatusCode);
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string key)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", key);
        return await host.Http.SendAsync(request);
    }
}
