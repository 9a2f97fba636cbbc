using System.Net;
using Depin.Contracts.Marketplace;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Refit;

namespace Depin.Marketplace.IntegrationTests;

[Collection(MarketplaceCollection.Name)]
public sealed class CustomerTests(MarketplaceFixture fx)
{
    private const long MaxPrice = 2_000_000;

    [Fact]
    public async Task Cancelled_job_is_refunded_in_full()
    {
        var (customer, reg) = await fx.NewCustomerAsync(10_000);
        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), MaxPrice));
        Assert.Equal(10_000 - job.Escrow, await fx.BalanceAsync(reg.LedgerAddress));

        var cancelled = await customer.CancelJobAsync(job.JobId);
        var refunded = await MarketplaceFixture.WaitForStatusAsync(customer, job.JobId, JobStatuses.Refunded);

        // The ledger refunds in the transaction that cancels, before the answer.
        Assert.Equal(JobStatuses.Refunded, cancelled.Status);
        Assert.Equal([JobStatuses.Submitted, JobStatuses.Funded, JobStatuses.Queued, JobStatuses.Cancelled, JobStatuses.Refunded],
            refunded.History.Select(h => h.Status));
        Assert.Equal(10_000, await fx.BalanceAsync(reg.LedgerAddress));
        Assert.Equal(JobStatuses.Refunded, (await customer.CancelJobAsync(job.JobId)).Status);
    }

    [Fact]
    public async Task Insufficient_funds_rejects_the_job_and_locks_nothing()
    {
        var (customer, reg) = await fx.NewCustomerAsync(100);

        var ex = await Assert.ThrowsAnyAsync<ApiException>(() =>
            customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), MaxPrice)));

        Assert.Equal(HttpStatusCode.PaymentRequired, ex.StatusCode);
        var problem = await ex.GetContentAsAsync<Dictionary<string, System.Text.Json.JsonElement>>();
        var jobId = problem!["jobId"].GetString()!;
        var job = await customer.GetJobAsync(jobId);
        Assert.Equal(JobStatuses.Rejected, job.Status);
        Assert.Equal("insufficient-funds", job.FailureReason);
        Assert.Equal(100, await fx.BalanceAsync(reg.LedgerAddress));
        Assert.Equal(100, (await customer.GetCustomerAsync()).Balance);
    }

    [Fact]
    public async Task Duplicate_submission_with_the_same_idempotency_key_creates_one_job()
    {
        var (customer, reg) = await fx.NewCustomerAsync(10_000);
        var request = new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), MaxPrice, IdempotencyKey: "same-key");

        var first = await customer.SubmitJobAsync(request);
        var second = await customer.SubmitJobAsync(request);

        Assert.Equal(first.JobId, second.JobId);
        Assert.Single((await customer.ListJobsAsync()).Jobs);
        Assert.Equal(10_000 - first.Escrow, await fx.BalanceAsync(reg.LedgerAddress));
        await customer.CancelJobAsync(first.JobId);
        await MarketplaceFixture.WaitForStatusAsync(customer, first.JobId, JobStatuses.Refunded);
    }

    [Fact]
    public async Task A_submission_repeated_after_the_jobs_grain_was_collected_finds_the_job_in_the_ledger_and_locks_nothing()
    {
        var (customer, reg) = await fx.NewCustomerAsync(10_000);
        var queued = new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), MaxPrice, IdempotencyKey: "collected-queued");
        var cancelled = new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), MaxPrice, IdempotencyKey: "collected-cancelled");
        var first = await customer.SubmitJobAsync(queued);
        var ended = await customer.SubmitJobAsync(cancelled);
        await customer.CancelJobAsync(ended.JobId);
        await MarketplaceFixture.WaitForStatusAsync(customer, ended.JobId, JobStatuses.Refunded);
        var management = fx.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var before = await management.GetTotalActivationCount();

        await management.ForceActivationCollection(TimeSpan.Zero);
        Assert.True(await management.GetTotalActivationCount() < before, "expected the collection to deactivate grains");
        var again = await customer.SubmitJobAsync(queued);
        var endedAgain = await customer.SubmitJobAsync(cancelled);

        Assert.Equal(first.JobId, again.JobId);
        Assert.Equal(JobStatuses.Queued, again.Status);
        Assert.Equal(ended.JobId, endedAgain.JobId);
        Assert.Equal(JobStatuses.Refunded, endedAgain.Status);
        Assert.Equal(2, (await customer.ListJobsAsync()).Jobs.Count);
        Assert.Equal(10_000 - first.Escrow, await fx.BalanceAsync(reg.LedgerAddress));
        await customer.CancelJobAsync(first.JobId);
        await MarketplaceFixture.WaitForStatusAsync(customer, first.JobId, JobStatuses.Refunded);
    }

    [Fact]
    public async Task Customer_never_sees_another_customers_jobs()
    {
        var (owner, _) = await fx.NewCustomerAsync(10_000);
        var (stranger, _) = await fx.NewCustomerAsync(10_000);
        var (provider, _) = await fx.NewProviderAsync();
        var job = await owner.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), MaxPrice));

        var read = await Assert.ThrowsAnyAsync<ApiException>(() => stranger.GetJobAsync(job.JobId));
        var cancel = await Assert.ThrowsAnyAsync<ApiException>(() => stranger.CancelJobAsync(job.JobId));
        using var result = await stranger.GetResultAsync(job.JobId);
        var asProvider = await Assert.ThrowsAnyAsync<ApiException>(() => provider.GetJobAsync(job.JobId));

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, result.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asProvider.StatusCode);
        Assert.Empty((await stranger.ListJobsAsync()).Jobs);
        Assert.Equal(JobStatuses.Queued, (await owner.GetJobAsync(job.JobId)).Status);
        await owner.CancelJobAsync(job.JobId);
    }
}
