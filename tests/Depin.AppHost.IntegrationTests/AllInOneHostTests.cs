using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Contracts.Rewards;
using Depin.Rewards.Wallets;
using Refit;

namespace Depin.AppHost.IntegrationTests;

public sealed class AllInOneHostTests(AllInOneHost host) : IClassFixture<AllInOneHost>
{
    private IMarketplaceApi Api(string? key = null)
    {
        var http = new HttpClient { BaseAddress = host.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return RestService.For<IMarketplaceApi>(http);
    }

    [Fact]
    public async Task A_job_submitted_to_the_all_in_one_host_is_run_by_the_local_pool_and_settled()
    {
        var registration = await Api().RegisterCustomerAsync(new RegisterCustomerRequest("it-customer"));
        var customer = Api(registration.ApiKey);
        await customer.FundAsync(new FundRequest(10_000_000));
        var parameters = JsonDocument.Parse("""{"challenge":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff","difficultyBits":6}""").RootElement;

        var job = await customer.SubmitJobAsync(new SubmitJobRequest("pow", parameters, 200_000));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (job.Status != JobStatuses.Settled && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            job = await customer.GetJobAsync(job.JobId);
        }

        Assert.Equal(JobStatuses.Settled, job.Status);
        var balance = await host.Http.GetFromJsonAsync<AccountDto>($"/api/ledger/accounts/{registration.LedgerAddress}");
        Assert.Equal(10_000_000 - job.Price, balance!.Balance);
    }

    [Fact]
    public async Task Provider_registration_requires_a_signed_wallet_challenge()
    {
        var wallet = LocalKeyFile.Create(Path.Combine(Path.GetTempPath(), $"it-wallet-{Guid.NewGuid():N}.json"));
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
    public async Task The_admin_overview_needs_the_admin_key_and_shows_every_service()
    {
        using var anonymous = await host.Http.GetAsync("/api/admin/overview");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/overview");
        request.Headers.Add("X-Api-Key", AllInOneHost.AdminKey);
        using var response = await host.Http.SendAsync(request);
        using var overview = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var sections = overview.RootElement.GetProperty("sections");
        Assert.True(sections.TryGetProperty("ledger", out _));
        Assert.True(sections.TryGetProperty("marketplace", out _));
        Assert.True(sections.TryGetProperty("rewards", out _));
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/orleans/")]
    [InlineData("/openapi/v1.json")]
    public async Task The_host_serves_its_dashboards_and_api_description(string path)
    {
        using var response = await host.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
