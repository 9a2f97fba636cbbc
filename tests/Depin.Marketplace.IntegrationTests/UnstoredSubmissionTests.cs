using System.Net;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Marketplace.Infrastructure;
using Depin.ServiceDefaults.Storage;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace Depin.Marketplace.IntegrationTests;

/// <summary>
/// A submission is stored while the ledger locks its escrow. When it cannot be stored the customer is refused and the
/// escrow goes back: at once, or, when the refund cannot be made then (as after a crash between the two), once the
/// open-jobs sweep finds a funded, never-leased record without its submission, older than the grace period.
/// </summary>
public sealed class UnstoredSubmissionTests : IAsyncLifetime
{
    private readonly Faults _faults = new();
    private readonly MarketplaceFixture _fx;

    public UnstoredSubmissionTests() =>
        _fx = new MarketplaceFixture(new Dictionary<string, string?> { ["Marketplace:SweepInterval"] = "00:00:01", ["Marketplace:UnstoredSubmissionGrace"] = "00:00:03" }, services =>
        {
            services.Decorate<IContentStore>(store => new FailingStore(_faults, store));
            services.Decorate<ILedgerClient>(ledger => new FaultyLedgerClient(ledger,
                transactions => _faults.CancelFails && transactions.Any(t => t.Program == "job-cancel") && Interlocked.Increment(ref _faults.CancelsRefused) > 0));
        });

    public Task InitializeAsync() => _fx.InitializeAsync();

    public Task DisposeAsync() => _fx.DisposeAsync();

    [Fact]
    public async Task A_submission_that_cannot_be_stored_is_refused_with_503_and_its_escrow_comes_back_at_once()
    {
        var (customer, reg) = await _fx.NewCustomerAsync(10_000_000);
        _faults.StoreFails = true;

        var refused = await Assert.ThrowsAnyAsync<ApiException>(() => customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), 2_000_000, IdempotencyKey: "unstored-1")));
        _faults.StoreFails = false;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var record = await Records.GetJobAsync(LedgerIds.JobId(reg.CustomerId, "unstored-1").ToString("D"));
        Assert.Equal("cancelled", record!.Status);
        Assert.Equal(10_000_000, await _fx.BalanceAsync(reg.LedgerAddress));

        // The key stays spent: a retry with it is told so, and locks nothing.
        var retried = await Assert.ThrowsAnyAsync<ApiException>(() => customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), 2_000_000, IdempotencyKey: "unstored-1")));
        Assert.Equal(HttpStatusCode.Conflict, retried.StatusCode);
        Assert.Contains("another key", retried.Content, StringComparison.Ordinal);
        Assert.Equal(10_000_000, await _fx.BalanceAsync(reg.LedgerAddress));
    }

    [Fact]
    public async Task A_funded_record_whose_submission_was_never_stored_is_refunded_by_the_sweep()
    {
        var (customer, reg) = await _fx.NewCustomerAsync(10_000_000);
        _faults.StoreFails = true;
        _faults.CancelFails = true;

        var refused = await Assert.ThrowsAnyAsync<ApiException>(() => customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), 2_000_000, IdempotencyKey: "unstored-2")));
        var job = LedgerIds.JobId(reg.CustomerId, "unstored-2").ToString("D");
        var locked = await Records.GetJobAsync(job);
        var lockedBalance = await _fx.BalanceAsync(reg.LedgerAddress);
        _faults.StoreFails = false;

        // Past the grace period (3 s here) the sweep's refunds fail too for a while; a later sweep's goes through.
        await Task.Delay(TimeSpan.FromSeconds(5.5));
        var stillLocked = await Records.GetJobAsync(job);
        _faults.CancelFails = false;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("queued", locked!.Status);
        Assert.Equal(10_000_000 - locked.Escrow, lockedBalance);
        Assert.Equal("queued", stillLocked!.Status);
        Assert.True(_faults.CancelsRefused >= 2, $"{_faults.CancelsRefused} refunds refused: the submission's and at least one sweep's");
        var refunded = await MarketplaceFixture.WaitForAsync(() => Records.GetJobAsync(job), r => r!.Status == "cancelled", TimeSpan.FromSeconds(30), "the sweep to refund the job");
        Assert.Equal(0, refunded!.Escrow);
        Assert.Equal(10_000_000, await _fx.BalanceAsync(reg.LedgerAddress));
    }

    private ILedgerJobs Records => _fx.Services.GetRequiredService<ILedgerJobs>();

    private sealed class Faults
    {
        public volatile bool StoreFails;
        public volatile bool CancelFails;
        public int CancelsRefused;
    }

    private sealed class FailingStore(Faults faults, IContentStore inner) : IContentStore
    {
        public Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
            faults.StoreFails
                ? Task.FromException<string>(new HttpRequestException("the content store is unreachable (injected by the test)"))
                : inner.PutAsync(content, cancellationToken);

        public Task<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default) => inner.GetAsync(hash, cancellationToken);
    }
}
