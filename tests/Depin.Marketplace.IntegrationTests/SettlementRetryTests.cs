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
    private readonly UnreachableForSettlements _ledger = new(failures: 2);
    private readonly MarketplaceFixture _fx;

    public SettlementRetryTests() =>
        _fx = new MarketplaceFixture(new Dictionary<string, string?>(), services =>
        {
            var inner = services.Last(d => d.ServiceType == typeof(ILedgerClient));
            services.Remove(inner);
            services.AddSingleton<ILedgerClient>(sp => _ledger.Around((ILedgerClient)inner.ImplementationFactory!(sp)));
        });

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
        Assert.Equal(3, _ledger.SettlementsTried);
        Assert.Equal(1, settled.History.Count(h => h.Status == JobStatuses.Settled));
        var price = settled.Price!.Value;
        Assert.Equal(10_000 - price, await _fx.BalanceAsync(reg.LedgerAddress));
        Assert.Equal(price - settled.Fee!.Value, await _fx.BalanceAsync(prov.PayoutAddress));
    }

    /// <summary>The real ledger, except that the first <c>failures</c> submissions carrying a job-settle fail as if it were unreachable.</summary>
    private sealed class UnreachableForSettlements(int failures)
    {
        private readonly int _failures = failures;
        private int _tried;

        public int SettlementsTried => Volatile.Read(ref _tried);

        public ILedgerClient Around(ILedgerClient ledger) => new Client(this, ledger);

        private sealed class Client(UnreachableForSettlements owner, ILedgerClient ledger) : ILedgerClient
        {
            public Task<IReadOnlyList<ReceiptDto>> SubmitAsync(IReadOnlyList<LedgerTransactionDto> transactions, CancellationToken cancellationToken = default)
            {
                if (transactions.Any(t => t.Program == "job-settle") && Interlocked.Increment(ref owner._tried) <= owner._failures)
                {
                    throw new HttpRequestException("the ledger is unreachable (injected by the test)");
                }

                return ledger.SubmitAsync(transactions, cancellationToken);
            }

            public Task<AccountDto> GetAccountAsync(string address, CancellationToken cancellationToken = default) => ledger.GetAccountAsync(address, cancellationToken);

            public Task<ReceiptDto?> GetReceiptAsync(string id, CancellationToken cancellationToken = default) => ledger.GetReceiptAsync(id, cancellationToken);
        }
    }
}
