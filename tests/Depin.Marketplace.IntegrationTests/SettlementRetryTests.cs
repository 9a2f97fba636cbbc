using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Microsoft.Extensions.DependencyInjection;

namespace Depin.Marketplace.IntegrationTests;

/// <summary>
/// A verified job is paid by its own grain; when the ledger cannot take the settlement at that moment, the job stays
/// verified and its timer settles it later, once.
/// </summary>
public sealed class SettlementRetryTests : IAsyncLifetime
{
    private const int SettlementFailures = 2;
    private readonly MarketplaceFixture _fx;
    private int _settlementsTried;

    // The first SettlementFailures submissions carrying a job-settle fail as if the ledger were unreachable.
    public SettlementRetryTests() =>
        _fx = new MarketplaceFixture(new Dictionary<string, string?>(), services => services.Decorate<ILedgerClient>(ledger => new FaultyLedgerClient(ledger,
            transactions => transactions.Any(t => t.Program == "job-settle") && Interlocked.Increment(ref _settlementsTried) <= SettlementFailures)));

    public Task InitializeAsync() => _fx.InitializeAsync();

    public Task DisposeAsync() => _fx.DisposeAsync();

    [Fact]
    public async Task A_settlement_the_ledger_could_not_take_is_retried_by_the_job_and_pays_once()
    {
        var (customer, reg) = await _fx.NewCustomerAsync(10_000);
        var (_, prov) = await _fx.NewProviderAsync();
        await using var worker = _fx.StartAgent(prov.ApiKey, 1_000_000);

        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), 2_000_000));
        await MarketplaceFixture.WaitForStatusAsync(customer, job.JobId, JobStatuses.Verified);
        Assert.Equal(10_000 - job.Escrow, await _fx.BalanceAsync(reg.LedgerAddress));

        var settled = await MarketplaceFixture.WaitForStatusAsync(customer, job.JobId, JobStatuses.Settled, TimeSpan.FromSeconds(30));
        Assert.Equal(3, Volatile.Read(ref _settlementsTried));
        Assert.Equal(1, settled.History.Count(h => h.Status == JobStatuses.Settled));
        var price = settled.Price!.Value;
        Assert.Equal(10_000 - price, await _fx.BalanceAsync(reg.LedgerAddress));
        Assert.Equal(price - settled.Fee!.Value, await _fx.BalanceAsync(prov.PayoutAddress));
    }
}
