using System.Net;
using Depin.Contracts.Marketplace;
using Depin.Kernels;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace Depin.Marketplace.IntegrationTests;

[Collection(MarketplaceCollection.Name)]
public sealed class LeaseTests(MarketplaceFixture fx)
{
    private const long Ask = 1_000_000;
    private const long MaxPrice = 2_000_000;

    [Fact]
    public async Task Killed_worker_loses_its_lease_and_another_worker_is_paid_once()
    {
        var (customer, reg) = await fx.NewCustomerAsync(10_000);
        var (_, crashed) = await fx.NewProviderAsync();
        var (_, healthy) = await fx.NewProviderAsync();
        var leased = new TaskCompletionSource<LeaseView>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = fx.StartAgent(crashed.ApiKey, Ask, o => o.BeforeRun = async (lease, killed) =>
        {
            leased.TrySetResult(lease);
            await Task.Delay(Timeout.Infinite, killed);
        });

        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), MaxPrice));
        var lease = await leased.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(job.JobId, lease.JobId);
        first.Agent.Kill();
        await first.Run.WaitAsync(TimeSpan.FromSeconds(30));

        await using var second = fx.StartAgent(healthy.ApiKey, Ask);
        var settled = await MarketplaceFixture.WaitForStatusAsync(customer, job.JobId, JobStatuses.Settled);

        Assert.Equal(2, settled.Attempts);
        Assert.Contains(settled.History, h => h.Status == JobStatuses.Queued && h.Detail?.Contains("lease lost", StringComparison.Ordinal) == true);
        Assert.Equal(1, settled.History.Count(h => h.Status == JobStatuses.Settled));
        const long price = 1_024;
        const long fee = price * MarketplaceFixture.FeeBasisPoints / 10_000;
        Assert.Equal(0, await fx.BalanceAsync(crashed.PayoutAddress));
        Assert.Equal(price - fee, await fx.BalanceAsync(healthy.PayoutAddress));
        Assert.Equal(10_000 - price, await fx.BalanceAsync(reg.LedgerAddress));
    }

    [Fact]
    public async Task Stale_result_after_lease_expiry_is_rejected_with_409()
    {
        var (customer, reg) = await fx.NewCustomerAsync(10_000);
        var (provider, _) = await fx.NewProviderAsync();
        var worker = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("manual", [new DeviceInfo("cpu", 1L << 30, 4, 1)], Ask, ["matmul"]));
        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(4), MaxPrice));
        var lease = (await provider.LeaseAsync(worker.WorkerId, new LeaseRequest(0, 5))).Content!;
        Assert.Equal(job.JobId, lease.JobId);

        // No heartbeats: the 2 s lease expires and the job goes back to the queue.
        await MarketplaceFixture.WaitForAsync(() => customer.GetJobAsync(job.JobId),
            j => j.Status == JobStatuses.Queued && j.Attempts == 1, what: "the lease to expire");
        var result = KernelRegistry.CreateDefault().Get("matmul").RunReference(lease.Parameters, []);
        var ex = await Assert.ThrowsAnyAsync<ApiException>(() => provider.SubmitResultAsync(worker.WorkerId, job.JobId,
            new SubmitResultRequest(lease.FencingToken, Convert.ToBase64String(result), ResultDigest.Sha256Hex(result))));
        Assert.Equal(HttpStatusCode.Conflict, ex.StatusCode);
        Assert.Equal(1, (await provider.GetWorkerAsync(worker.WorkerId)).ExpiredLeases);

        await customer.CancelJobAsync(job.JobId);
        await MarketplaceFixture.WaitForStatusAsync(customer, job.JobId, JobStatuses.Refunded);
        Assert.Equal(10_000, await fx.BalanceAsync(reg.LedgerAddress));
    }

    [Fact]
    public async Task Wrong_matmul_result_is_caught_by_Freivalds_and_never_paid()
    {
        var (customer, reg) = await fx.NewCustomerAsync(10_000);
        var (provider, prov) = await fx.NewProviderAsync();
        await using var cheat = fx.StartAgent(prov.ApiKey, Ask, o => o.ResultFilter = (_, result) =>
        {
            var tampered = (byte[])result.Clone();
            BitConverter.TryWriteBytes(tampered.AsSpan(0, 4), BitConverter.ToSingle(tampered, 0) + 1000f);
            return tampered;
        });

        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), MaxPrice));
        var refunded = await MarketplaceFixture.WaitForStatusAsync(customer, job.JobId, JobStatuses.Refunded);

        Assert.Contains(refunded.History, h => h.Status == JobStatuses.Failed);
        Assert.DoesNotContain(refunded.History, h => h.Status is JobStatuses.Verified or JobStatuses.Settled);
        Assert.Equal(0, await fx.BalanceAsync(prov.PayoutAddress));
        Assert.Equal(10_000, await fx.BalanceAsync(reg.LedgerAddress));
        var worker = await provider.GetWorkerAsync(await cheat.Agent.Registered);
        // Every one of the three attempts was judged and rejected (on a loaded machine one may instead outlive its 2 s lease).
        var judged = refunded.History.Count(h => h.Status == JobStatuses.Completed);
        Assert.InRange(judged, 1, 3);
        Assert.Equal(judged, worker.FailedVerifications);
        Assert.Equal(3, judged + worker.ExpiredLeases);
        Assert.Equal(0, worker.CompletedJobs);
    }

    [Fact]
    public async Task Worker_that_does_not_hold_the_job_cannot_complete_it()
    {
        var (customer, _) = await fx.NewCustomerAsync(10_000);
        var (provider, _) = await fx.NewProviderAsync();
        var (other, _) = await fx.NewProviderAsync();
        var devices = new[] { new DeviceInfo("cpu", 1L << 30, 4, 1) };
        var holder = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("holder", devices, Ask, ["matmul"]));
        var bystander = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("bystander", devices, Ask, ["matmul"]));
        var foreign = await other.RegisterWorkerAsync(new RegisterWorkerRequest("foreign", devices, Ask, ["matmul"]));
        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(4), MaxPrice));
        var lease = (await provider.LeaseAsync(holder.WorkerId, new LeaseRequest(0, 5))).Content!;
        var result = KernelRegistry.CreateDefault().Get("matmul").RunReference(lease.Parameters, []);
        var upload = new SubmitResultRequest(lease.FencingToken, Convert.ToBase64String(result), ResultDigest.Sha256Hex(result));

        var notHolder = await Assert.ThrowsAnyAsync<ApiException>(() => provider.SubmitResultAsync(bystander.WorkerId, job.JobId, upload));
        var otherProvider = await Assert.ThrowsAnyAsync<ApiException>(() => other.SubmitResultAsync(holder.WorkerId, job.JobId, upload));
        var foreignWorker = await Assert.ThrowsAnyAsync<ApiException>(() => other.SubmitResultAsync(foreign.WorkerId, job.JobId, upload));

        // Bytes no holder made: refused before anything is stored.
        var stray = System.Security.Cryptography.RandomNumberGenerator.GetBytes(64);
        var strayUpload = await Assert.ThrowsAnyAsync<ApiException>(() => provider.SubmitResultAsync(bystander.WorkerId, job.JobId,
            new SubmitResultRequest(lease.FencingToken, Convert.ToBase64String(stray), ResultDigest.Sha256Hex(stray))));

        Assert.Equal(HttpStatusCode.Forbidden, notHolder.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherProvider.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignWorker.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, strayUpload.StatusCode);
        Assert.Null(await fx.Services.GetRequiredService<Depin.ServiceDefaults.Storage.IContentStore>().GetAsync(ResultDigest.Sha256Hex(stray)));
        Assert.Equal(JobStatuses.Leased, (await customer.GetJobAsync(job.JobId)).Status);
        await customer.CancelJobAsync(job.JobId);
        await MarketplaceFixture.WaitForStatusAsync(customer, job.JobId, JobStatuses.Refunded);
    }

    [Fact]
    public async Task Matching_gives_the_highest_bid_first_and_skips_bids_below_the_ask()
    {
        var (customer, _) = await fx.NewCustomerAsync(100_000);
        var (provider, _) = await fx.NewProviderAsync();
        // Bids above every other test's, so no leftover job of another test can match.
        const long ask = 50_000_000;
        var worker = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("picky", [new DeviceInfo("cpu", 1L << 30, 4, 1)], ask, ["matmul"]));
        var cheap = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(4), ask - 1));
        var low = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(4), ask));
        var high = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(4), ask * 2));
        var alsoHigh = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(4), ask * 2));

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var lease = (await provider.LeaseAsync(worker.WorkerId, new LeaseRequest(0, 0))).Content!;
            order.Add(lease.JobId);
        }

        var none = await provider.LeaseAsync(worker.WorkerId, new LeaseRequest(0, 0));

        Assert.Equal([high.JobId, alsoHigh.JobId, low.JobId], order);
        Assert.Equal(HttpStatusCode.NoContent, none.StatusCode);
        foreach (var id in new[] { cheap.JobId, low.JobId, high.JobId, alsoHigh.JobId })
        {
            await customer.CancelJobAsync(id);
        }
    }

    [Fact]
    public async Task One_lease_request_takes_several_jobs_best_bid_first_each_under_its_own_token_and_each_is_paid()
    {
        var (customer, _) = await fx.NewCustomerAsync(1_000_000);
        var (provider, _) = await fx.NewProviderAsync();
        // Asks above every other test's bids, so no leftover job of another test can match.
        const long ask = 300_000_000;
        var worker = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("batcher", [new DeviceInfo("cpu", 1L << 30, 4, 1)], ask, ["matmul"]));
        var cheap = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(4), ask - 1));
        var low = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(4), ask));
        var high = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(4), ask * 2));
        var alsoHigh = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(4), ask * 2));

        try
        {
            var first = (await provider.LeaseManyAsync(worker.WorkerId, new LeaseRequest(0, 0, MaxJobs: 2))).Content!.Leases;
            var rest = (await provider.LeaseManyAsync(worker.WorkerId, new LeaseRequest(0, 0, MaxJobs: 16))).Content!.Leases;
            var none = await provider.LeaseManyAsync(worker.WorkerId, new LeaseRequest(0, 0, MaxJobs: 16));

            Assert.Equal(new[] { high.JobId, alsoHigh.JobId }.Order(), first.Select(l => l.JobId).Order());
            Assert.Equal([low.JobId], rest.Select(l => l.JobId));
            Assert.Equal(HttpStatusCode.NoContent, none.StatusCode);
            Assert.Equal(new[] { low.JobId, high.JobId, alsoHigh.JobId }.Order(), (await provider.GetWorkerAsync(worker.WorkerId)).ActiveJobs.Order());
            var kernel = KernelRegistry.CreateDefault().Get("matmul");
            foreach (var lease in first.Concat(rest))
            {
                var result = kernel.RunReference(lease.Parameters, []);
                var verdict = await provider.SubmitResultAsync(worker.WorkerId, lease.JobId, new SubmitResultRequest(lease.FencingToken, Convert.ToBase64String(result), ResultDigest.Sha256Hex(result)));
                Assert.True(verdict.Accepted, verdict.Reason);
            }

            foreach (var id in new[] { low.JobId, high.JobId, alsoHigh.JobId })
            {
                await MarketplaceFixture.WaitForStatusAsync(customer, id, JobStatuses.Settled);
            }

            Assert.Equal(JobStatuses.Queued, (await customer.GetJobAsync(cheap.JobId)).Status);
        }
        finally
        {
            // The cheap job bids above other tests' asks: it must not stay queued for them.
            await customer.CancelJobAsync(cheap.JobId);
        }
    }

    [Fact]
    public async Task Results_go_up_together_each_judged_as_its_own_upload_would_be_and_a_malformed_entry_refuses_them_all()
    {
        var (customer, _) = await fx.NewCustomerAsync(1_000_000);
        var (provider, prov) = await fx.NewProviderAsync();
        // Asks above every other test's bids, so no leftover job of another test can match.
        const long ask = 400_000_000;
        var worker = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("uploader", [new DeviceInfo("cpu", 1L << 30, 4, 1)], ask, ["matmul"]));
        var jobs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add((await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(4), ask))).JobId);
        }

        var leases = (await provider.LeaseManyAsync(worker.WorkerId, new LeaseRequest(0, 0, MaxJobs: 3))).Content!.Leases.ToDictionary(l => l.JobId);
        var kernel = KernelRegistry.CreateDefault().Get("matmul");
        JobResultUpload Upload(string jobId, long? token = null, bool tamper = false)
        {
            var result = kernel.RunReference(leases[jobId].Parameters, []);
            if (tamper)
            {
                BitConverter.TryWriteBytes(result.AsSpan(0, 4), BitConverter.ToSingle(result, 0) + 1000f);
            }

            return new JobResultUpload(jobId, token ?? leases[jobId].FencingToken, Convert.ToBase64String(result), ResultDigest.Sha256Hex(result));
        }

        try
        {
            var malformed = await Assert.ThrowsAsync<ValidationApiException>(() => provider.SubmitResultsAsync(worker.WorkerId, new SubmitResultsRequest(
                [Upload(jobs[0]), Upload(jobs[1]) with { Digest = new string('0', 64) }, Upload(jobs[2]), Upload(jobs[0])])));
            var tooMany = await Assert.ThrowsAsync<ValidationApiException>(() => provider.SubmitResultsAsync(worker.WorkerId, new SubmitResultsRequest(
                [.. Enumerable.Repeat(Upload(jobs[0]), 17)])));
            var statuses = await Task.WhenAll(jobs.Select(async id => (await customer.GetJobAsync(id)).Status));

            Assert.Equal(["results[1].digest", "results[3].jobId"], malformed.Content!.Errors.Keys.Order());
            Assert.Equal(["results"], tooMany.Content!.Errors.Keys);
            Assert.All(statuses, status => Assert.Equal(JobStatuses.Leased, status));

            var unknown = Guid.NewGuid().ToString();
            var verdicts = await provider.SubmitResultsAsync(worker.WorkerId, new SubmitResultsRequest(
                [Upload(jobs[0]), Upload(jobs[1], token: leases[jobs[1]].FencingToken + 1_000), Upload(jobs[2], tamper: true), Upload(jobs[0]) with { JobId = unknown }]));

            Assert.Equal([jobs[0], jobs[1], jobs[2], unknown], verdicts.Results.Select(r => r.JobId));
            Assert.Equal([200, 409, 200, 404], verdicts.Results.Select(r => r.Code));
            Assert.True(verdicts.Results[0].Verdict!.Accepted);
            Assert.False(verdicts.Results[2].Verdict!.Accepted);
            Assert.Null(verdicts.Results[1].Verdict);
            Assert.False(string.IsNullOrEmpty(verdicts.Results[1].Problem));
            await MarketplaceFixture.WaitForStatusAsync(customer, jobs[0], JobStatuses.Settled);
            Assert.Equal(JobStatuses.Leased, (await customer.GetJobAsync(jobs[1])).Status);
            var rejected = await customer.GetJobAsync(jobs[2]);
            Assert.Equal(JobStatuses.Queued, rejected.Status);
            Assert.Contains(rejected.History, h => h.Status == JobStatuses.Completed);
            Assert.True(await fx.BalanceAsync(prov.PayoutAddress) > 0);
            Assert.Equal(1, (await provider.GetWorkerAsync(worker.WorkerId)).FailedVerifications);
        }
        finally
        {
            foreach (var id in jobs.Skip(1))
            {
                await customer.CancelJobAsync(id);
            }
        }
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(17, true)]
    [InlineData(2, false)]
    public async Task A_lease_request_for_a_number_of_jobs_out_of_range_gets_a_problem_naming_maxJobs(int maxJobs, bool many)
    {
        var (provider, _) = await fx.NewProviderAsync();
        var worker = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("asks", [new DeviceInfo("cpu", 1L << 30, 4, 1)], Ask, ["matmul"]));

        var response = many
            ? (IApiResponse)await provider.LeaseManyAsync(worker.WorkerId, new LeaseRequest(0, 0, maxJobs))
            : await provider.LeaseAsync(worker.WorkerId, new LeaseRequest(0, 0, maxJobs));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("maxJobs", Assert.IsType<ValidationApiException>(response.Error).Content!.Errors.Keys);
        Assert.Empty((await provider.GetWorkerAsync(worker.WorkerId)).ActiveJobs);
    }
}
