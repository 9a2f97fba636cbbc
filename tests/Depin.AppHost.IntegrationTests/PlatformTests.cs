using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Contracts.Rewards;

namespace Depin.AppHost.IntegrationTests;

/// <summary>The platform as `dotnet run --project AppHost` runs it, driven through its public entry point.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PlatformTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_job_submitted_through_the_gateway_runs_on_the_worker_process_settles_on_the_ledger_process_and_rewards_credit_the_provider_from_events()
    {
        var customer = await platform.Api().RegisterCustomerAsync(new RegisterCustomerRequest("alice"));
        await platform.Api(PlatformFixture.AdminKey).AdminDepositAsync(new AdminDepositRequest(customer.CustomerId, 1_000_000));
        var provider = await platform.PoolProviderAsync();
        var ledger = platform.Ledger();
        var treasuryBefore = await BalanceAsync(ledger, LedgerAccounts.Treasury);
        var (providerBefore, rewardsBefore) = await ProviderAsync(ledger, provider.PayoutAddress);
        var workBefore = await WorkRewardedAsync(provider.PayoutAddress);

        var parameters = JsonDocument.Parse("""{"m":8,"n":8,"k":8,"seed":11}""").RootElement;
        var job = await platform.Api(customer.ApiKey).SubmitJobAsync(new SubmitJobRequest("matmul", parameters, 2_000_000));
        var settled = await PlatformFixture.WaitForAsync(() => platform.Api(customer.ApiKey).GetJobAsync(job.JobId), j => j.Status == JobStatuses.Settled, TimeSpan.FromSeconds(90));

        var record = await PlatformFixture.GetAsync<JobRecordDto>(ledger, $"/api/ledger/jobs/{job.JobId}");
        Assert.Equal("settled", record.Status);
        Assert.Equal((settled.Price, settled.Fee), (record.Price, record.Fee));
        Assert.True(settled.Price > 0 && settled.Fee > 0);
        Assert.Equal(1_000_000 - settled.Price, (await platform.Api(customer.ApiKey).GetCustomerAsync()).Balance);
        Assert.Equal(treasuryBefore + settled.Fee, await BalanceAsync(ledger, LedgerAccounts.Treasury));
        await ProviderPaidAsync(ledger, provider.PayoutAddress, providerBefore + settled.Price!.Value - settled.Fee!.Value, rewardsBefore);

        // The verified work crossed from the marketplace to rewards over Redis; its epoch's close credits it on the ledger
        // (the rewards API lists an epoch once computed and counts it in the total once credited).
        var earned = await PlatformFixture.WaitForAsync(
            () => PlatformFixture.GetAsync<ProviderRewardsDto>(platform.Gateway(), $"/api/rewards/providers/{provider.PayoutAddress}"),
            r => r.Epochs.Where(e => e.Credited).Sum(e => e.Work) > workBefore,
            TimeSpan.FromSeconds(90));
        Assert.True(earned.Total > rewardsBefore);
        await ProviderPaidAsync(ledger, provider.PayoutAddress, providerBefore + settled.Price!.Value - settled.Fee!.Value, rewardsBefore);
    }

    /// <summary>
    /// Waits until the provider's ledger balance is <paramref name="expectedBeforeRewards"/> plus every reward the rewards
    /// service counts as credited beyond <paramref name="rewardsBefore"/>: an epoch's credits commit on the ledger a moment
    /// before the rewards service records the epoch credited, so the two agree once the epochs being closed are recorded.
    /// </summary>
    private Task<(long Balance, long Rewards)> ProviderPaidAsync(HttpClient ledger, string address, long expectedBeforeRewards, long rewardsBefore) =>
        PlatformFixture.WaitForAsync(
            () => ProviderAsync(ledger, address),
            p => p.Balance == expectedBeforeRewards + (p.Rewards - rewardsBefore),
            TimeSpan.FromSeconds(30));

    [Fact]
    public async Task The_two_marketplace_replicas_are_one_Orleans_cluster_and_the_admin_alone_sees_it()
    {
        using var anonymous = await platform.Gateway().GetAsync("/api/admin/cluster");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var silos = await PlatformFixture.WaitForAsync(
            () => PlatformFixture.GetAsync<SiloView[]>(platform.Gateway(PlatformFixture.AdminKey), "/api/admin/cluster"),
            s => s.Length == 2,
            TimeSpan.FromSeconds(60));
        Assert.All(silos, s => Assert.Equal("Active", s.Status));
        Assert.Equal(2, silos.Select(s => s.Address).Distinct().Count());
    }

    [Fact]
    public async Task Every_service_is_healthy_and_the_gateway_serves_only_the_public_routes()
    {
        foreach (var service in new[] { "ledger", "marketplace", "rewards", "gateway" })
        {
            using var health = await platform.App.CreateHttpClient(service).GetAsync("/health");
            Assert.True(health.IsSuccessStatusCode, $"{service}: {(int)health.StatusCode}");
        }

        using var gateway = platform.Gateway(PlatformFixture.AdminKey);
        using var write = await gateway.PostAsJsonAsync("/api/ledger/transactions", new SubmitTransactionsRequest([new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: LedgerAccounts.RewardPool, Amount: 1)]));
        Assert.Contains(write.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        // The latest block, once there is one (rewards funds its pool at start).
        await PlatformFixture.WaitForAsync(async () => (await gateway.GetAsync("/api/ledger/blocks/latest")).StatusCode, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        foreach (var (service, path) in new[] { ("ledger", "/api/ledger/blocks/{height}"), ("marketplace", "/api/jobs"), ("rewards", "/api/rewards/epochs") })
        {
            using var document = JsonDocument.Parse(await gateway.GetStringAsync($"/openapi/{service}.json"));
            Assert.True(document.RootElement.GetProperty("paths").TryGetProperty(path, out _), $"{service}'s document names {path}");
        }
    }

    private static async Task<long> BalanceAsync(HttpClient ledger, string address)
    {
        using var response = await ledger.GetAsync($"/api/ledger/accounts/{address}");
        return response.StatusCode == HttpStatusCode.NotFound ? 0 : (await response.Content.ReadFromJsonAsync<AccountDto>())!.Balance;
    }

    /// <summary>The provider's ledger balance and its rewards total, read when no epoch close came between them.</summary>
    private async Task<(long Balance, long Rewards)> ProviderAsync(HttpClient ledger, string address)
    {
        while (true)
        {
            var before = await RewardsTotalAsync(address);
            var balance = await BalanceAsync(ledger, address);
            if (await RewardsTotalAsync(address) == before)
            {
                return (balance, before);
            }
        }
    }

    private async Task<long> WorkRewardedAsync(string address)
    {
        using var response = await platform.Gateway().GetAsync($"/api/rewards/providers/{address}");
        return response.StatusCode == HttpStatusCode.NotFound ? 0 : (await response.Content.ReadFromJsonAsync<ProviderRewardsDto>())!.Epochs.Where(e => e.Credited).Sum(e => e.Work);
    }

    private async Task<long> RewardsTotalAsync(string address)
    {
        using var response = await platform.Gateway().GetAsync($"/api/rewards/providers/{address}");
        return response.StatusCode == HttpStatusCode.NotFound ? 0 : (await response.Content.ReadFromJsonAsync<ProviderRewardsDto>())!.Total;
    }

    /// <summary>An entry of GET /api/admin/cluster.</summary>
    public sealed record SiloView(string Address, string Status, string Name);
}
