using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Kernels;

namespace Depin.Marketplace.IntegrationTests;

[Collection(MarketplaceCollection.Name)]
public sealed class SettlementTests(MarketplaceFixture fx)
{
    private const long Ask = 1_000_000;
    private const long MaxPrice = 2_000_000;

    [Fact]
    public async Task Verified_job_is_settled_and_every_balance_is_exact()
    {
        var (customer, reg) = await fx.NewCustomerAsync(10_000);
        var (provider, prov) = await fx.NewProviderAsync();
        var treasuryBefore = await fx.BalanceAsync(LedgerAccounts.Treasury);
        await using var worker = fx.StartAgent(prov.ApiKey, Ask);

        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), MaxPrice, IdempotencyKey: "e2e-1"));
        Assert.Equal(2L * 8 * 8 * 8, job.WorkUnits);
        Assert.Equal(2_048, job.Escrow);
        Assert.Equal(JobStatuses.Queued, job.Status);

        var settled = await MarketplaceFixture.WaitForStatusAsync(customer, job.JobId, JobStatuses.Settled);

        const long price = 1_024;
        const long fee = price * MarketplaceFixture.FeeBasisPoints / 10_000;
        Assert.Equal(price, settled.Price);
        Assert.Equal(fee, settled.Fee);
        Assert.Equal(
            [JobStatuses.Submitted, JobStatuses.Funded, JobStatuses.Queued, JobStatuses.Leased, JobStatuses.Completed, JobStatuses.Verified, JobStatuses.Settled],
            settled.History.Select(h => h.Status));
        Assert.Equal(10_000 - price, await fx.BalanceAsync(reg.LedgerAddress));
        Assert.Equal(price - fee, await fx.BalanceAsync(prov.PayoutAddress));
        Assert.Equal(treasuryBefore + fee, await fx.BalanceAsync(LedgerAccounts.Treasury));

        using var download = await customer.GetResultAsync(job.JobId);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(KernelRegistry.CreateDefault().Get("matmul").RunReference(MarketplaceFixture.MatMul(8), []).Length, bytes.Length);
        Assert.Equal(settled.ResultDigest, ResultDigest.Sha256Hex(bytes));

        var me = await provider.GetProviderAsync();
        Assert.Equal(price - fee, me.Earnings);
        Assert.Equal(1, me.JobsPaid);
    }
}
