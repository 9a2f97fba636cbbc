using System.Net;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Refit;

namespace Depin.Marketplace.IntegrationTests;

/// <summary>Stake to serve and slash on proof, with a marketplace that asks 1,000 micro-credits of stake per worker and slashes 25 %.</summary>
public sealed class StakeTests : IAsyncLifetime
{
    private const long Ask = 1_000;
    private const long MaxPrice = 1_000_000;
    private const string Treasury = "0x0000000000000000000000000000000000000001";

    private readonly MarketplaceFixture fx = new(new Dictionary<string, string?>
    {
        ["Marketplace:MinStakePerWorker"] = "1000",
        ["Marketplace:SlashBasisPoints"] = "2500",
    });

    public Task InitializeAsync() => fx.InitializeAsync();

    public Task DisposeAsync() => fx.DisposeAsync();

    private async Task FundAsync(string address, long amount) =>
        Assert.True((await fx.Ledger.SubmitAsync([new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: address, Amount: amount)]))[0].Succeeded);

    [Fact]
    public async Task A_worker_without_enough_stake_gets_no_lease_and_the_problem_says_why()
    {
        var (provider, registration) = await fx.NewProviderAsync();
        var worker = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("rig", [new DeviceInfo("cpu", 1 << 30, 4, 1)], Ask));

        using var refused = await provider.LeaseAsync(worker.WorkerId, new LeaseRequest(0, 0));
        await FundAsync(registration.PayoutAddress, 5_000);
        var tooLittle = await Assert.ThrowsAnyAsync<ApiException>(() => provider.StakeAsync(new StakeRequest(6_000)));
        var staked = await provider.StakeAsync(new StakeRequest(1_000));
        using var granted = await provider.LeaseAsync(worker.WorkerId, new LeaseRequest(0, 0));
        var unbonding = await provider.UnstakeAsync(new StakeRequest(400));
        var early = await Assert.ThrowsAnyAsync<ApiException>(() => provider.CompleteUnstakeAsync());
        using var short_ = await provider.LeaseAsync(worker.WorkerId, new LeaseRequest(0, 0));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        string problem = ((ApiException)refused.Error!).Content!;
        Assert.Contains("1000 micro-credits per worker", problem, StringComparison.Ordinal);
        Assert.Contains("bonded 0", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLittle.StatusCode);
        Assert.Equal(1_000, staked.Staked);
        Assert.Equal(1_000, staked.RequiredStake);
        Assert.Equal(4_000, staked.Earnings);
        Assert.Equal(HttpStatusCode.NoContent, granted.StatusCode);
        Assert.Equal((600, 400), (unbonding.Staked, unbonding.Unbonding));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.Contains("unbonding-not-matured", early.Content, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, short_.StatusCode);
    }

    [Fact]
    public async Task A_wrong_matmul_result_slashes_the_provider_once_per_judged_attempt_and_keeps_the_evidence()
    {
        var (customer, reg) = await fx.NewCustomerAsync(10_000);
        var (provider, prov) = await fx.NewProviderAsync();
        await FundAsync(prov.PayoutAddress, 10_000);
        await provider.StakeAsync(new StakeRequest(10_000));
        long treasuryBefore = (await fx.Ledger.GetAccountAsync(Treasury)).Balance;
        await using var cheat = fx.StartAgent(prov.ApiKey, Ask, o => o.ResultFilter = (_, result) =>
        {
            var tampered = (byte[])result.Clone();
            BitConverter.TryWriteBytes(tampered.AsSpan(0, 4), BitConverter.ToSingle(tampered, 0) + 1000f);
            return tampered;
        });

        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), MaxPrice));
        await MarketplaceFixture.WaitForStatusAsync(customer, job.JobId, JobStatuses.Refunded);
        var worker = await provider.GetWorkerAsync(await cheat.Agent.Registered);
        var me = await provider.GetProviderAsync();
        long expected = 10_000;
        foreach (var _ in worker.Slashes!)
        {
            expected -= expected * 2_500 / 10_000;
        }

        Assert.InRange(worker.FailedVerifications, 1, 3);
        Assert.Equal(worker.FailedVerifications, worker.Slashes!.Count);
        Assert.All(worker.Slashes, s =>
        {
            Assert.Equal(job.JobId, s.JobId);
            Assert.NotNull(s.ResultDigest);
            Assert.True(s.Amount > 0);
        });
        Assert.Equal(worker.Slashes.Count, worker.Slashes.Select(s => s.Attempt).Distinct().Count());
        Assert.Equal(expected, me.Staked + me.Unbonding);
        Assert.Equal(10_000 - expected, (await fx.Ledger.GetAccountAsync(Treasury)).Balance - treasuryBefore);
        Assert.Equal(10_000, await fx.BalanceAsync(reg.LedgerAddress));
    }
}
