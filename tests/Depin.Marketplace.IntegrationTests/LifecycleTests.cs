using System.Net;
using System.Text.Json;
using Depin.Contracts.Events;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Microsoft.Extensions.DependencyInjection;

namespace Depin.Marketplace.IntegrationTests;

[Collection(MarketplaceCollection.Name)]
public sealed class LifecycleTests(MarketplaceFixture fx)
{
    private const long Ask = 1_000_000;
    private const long MaxPrice = 2_000_000;

    [Fact]
    public async Task Job_past_its_deadline_expires_and_is_refunded()
    {
        var (customer, reg) = await fx.NewCustomerAsync(10_000);

        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), MaxPrice, DateTimeOffset.UtcNow.AddSeconds(1)));
        var refunded = await MarketplaceFixture.WaitForStatusAsync(customer, job.JobId, JobStatuses.Refunded);

        Assert.Contains(refunded.History, h => h.Status == JobStatuses.Expired);
        Assert.Equal(10_000, await fx.BalanceAsync(reg.LedgerAddress));
    }

    [Fact]
    public async Task Stopping_an_agent_gives_its_lease_back_and_the_job_is_queued_again()
    {
        var (customer, _) = await fx.NewCustomerAsync(10_000);
        var (_, prov) = await fx.NewProviderAsync();
        var leased = new TaskCompletionSource<LeaseView>(TaskCreationOptions.RunContinuationsAsynchronously);
        var agent = fx.StartAgent(prov.ApiKey, Ask, o => o.BeforeRun = async (lease, stop) =>
        {
            leased.TrySetResult(lease);
            await Task.Delay(Timeout.Infinite, stop);
        });
        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), MaxPrice));
        await leased.Task.WaitAsync(TimeSpan.FromSeconds(60));

        await agent.DisposeAsync();
        var queued = await customer.GetJobAsync(job.JobId);

        Assert.Equal(JobStatuses.Queued, queued.Status);
        Assert.Contains("released by worker", queued.History[^1].Detail, StringComparison.Ordinal);
        // A lease given back does not spend the attempt budget: the ledger's record agrees.
        Assert.Equal(0, queued.Attempts);
        Assert.Equal(0, (await fx.Services.GetRequiredService<ILedgerJobs>().GetJobAsync(job.JobId))!.Attempt);
        await customer.CancelJobAsync(job.JobId);
        await MarketplaceFixture.WaitForStatusAsync(customer, job.JobId, JobStatuses.Refunded);
    }

    [Fact]
    public async Task An_agent_taking_several_jobs_per_lease_holds_them_all_runs_each_uploads_them_together_and_each_is_settled()
    {
        // Bids and ask above every other test's, so that this agent takes only these jobs and no one else takes them.
        const long price = 700_000_000;
        var (customer, _) = await fx.NewCustomerAsync(10_000_000);
        var (_, prov) = await fx.NewProviderAsync();
        var jobs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add((await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), price))).JobId);
        }

        // All queued before the agent asks, so that its first lease request takes the three.
        foreach (var id in jobs)
        {
            await MarketplaceFixture.WaitForStatusAsync(customer, id, JobStatuses.Queued);
        }

        var statusesAtFirstRun = new TaskCompletionSource<string[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runsStarted = new System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset>();
        await using var agent = fx.StartAgent(prov.ApiKey, price, o =>
        {
            o.JobsPerLease = 4;
            o.ResultHoldTime = TimeSpan.FromMinutes(1);
            o.BeforeRun = async (_, _) =>
            {
                runsStarted.Enqueue(DateTimeOffset.UtcNow);
                if (!statusesAtFirstRun.Task.IsCompleted)
                {
                    statusesAtFirstRun.TrySetResult([.. await Task.WhenAll(jobs.Select(async id => (await customer.GetJobAsync(id)).Status))]);
                }
            };
        });

        Assert.All(await statusesAtFirstRun.Task.WaitAsync(TimeSpan.FromSeconds(60)), status => Assert.Equal(JobStatuses.Leased, status));
        var settled = new List<JobView>();
        foreach (var id in jobs)
        {
            settled.Add(await MarketplaceFixture.WaitForStatusAsync(customer, id, JobStatuses.Settled));
        }

        // The job settles inside its upload's call, so the agent counts the verdict a moment after the job reads settled.
        Assert.Equal(3, await MarketplaceFixture.WaitForAsync(() => Task.FromResult(agent.Agent.Completed), n => n >= 3, TimeSpan.FromSeconds(10), "the agent to count three accepted results"));
        // Held for the lease's last run: no result was completed before the third job started running.
        Assert.Equal(3, runsStarted.Count);
        Assert.All(settled, job => Assert.True(job.History.Single(h => h.Status == JobStatuses.Completed).At >= runsStarted.Max()));
    }

    [Fact]
    public async Task A_held_result_goes_up_once_its_hold_time_has_passed_while_the_next_job_still_runs()
    {
        // Bids and ask above every other test's, so that this agent takes only these jobs and no one else takes them.
        const long price = 710_000_000;
        var (customer, _) = await fx.NewCustomerAsync(10_000_000);
        var (_, prov) = await fx.NewProviderAsync();
        var jobs = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            jobs.Add((await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), price))).JobId);
        }

        string? firstRun = null;
        var firstCompletedDuringSecondRun = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var agent = fx.StartAgent(prov.ApiKey, price, o =>
        {
            o.JobsPerLease = 2;
            o.ResultHoldTime = TimeSpan.FromMilliseconds(200);
            o.BeforeRun = async (lease, killed) =>
            {
                if (Interlocked.CompareExchange(ref firstRun, lease.JobId, null) is null)
                {
                    return;
                }

                // The second job runs until the first one's result has been completed on the platform (or 30 s pass).
                var until = DateTime.UtcNow.AddSeconds(30);
                while (DateTime.UtcNow < until && !(await customer.GetJobAsync(firstRun, killed)).History.Any(h => h.Status == JobStatuses.Completed))
                {
                    await Task.Delay(50, killed);
                }

                firstCompletedDuringSecondRun.TrySetResult(DateTime.UtcNow < until);
            };
        });

        Assert.True(await firstCompletedDuringSecondRun.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        foreach (var id in jobs)
        {
            await MarketplaceFixture.WaitForStatusAsync(customer, id, JobStatuses.Settled);
        }

        Assert.Equal(2, await MarketplaceFixture.WaitForAsync(() => Task.FromResult(agent.Agent.Completed), n => n >= 2, TimeSpan.FromSeconds(10), "the agent to count two accepted results"));
    }

    [Fact]
    public async Task A_transition_the_ledger_committed_but_the_job_never_recorded_is_adopted_from_the_ledger()
    {
        var (customer, reg) = await fx.NewCustomerAsync(10_000);
        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), 1));
        var escrow = 10_000 - await fx.BalanceAsync(reg.LedgerAddress);
        // As if the marketplace crashed right after the ledger committed the cancellation.
        var cancelled = await fx.Ledger.SubmitAsync([new LedgerTransactionDto(Guid.NewGuid().ToString(), "job-cancel", From: reg.LedgerAddress, Job: job.JobId)]);
        var (provider, _) = await fx.NewProviderAsync();
        var worker = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("cheap", [new DeviceInfo("cpu", 1L << 30, 4, 1)], 1, ["matmul"]));

        var lease = await provider.LeaseAsync(worker.WorkerId, new LeaseRequest(0, 1));
        var view = await MarketplaceFixture.WaitForStatusAsync(customer, job.JobId, JobStatuses.Refunded);

        Assert.True(escrow > 0);
        Assert.Equal("success", cancelled[0].Status);
        Assert.NotEqual(job.JobId, lease.Content?.JobId);
        Assert.Equal([JobStatuses.Submitted, JobStatuses.Funded, JobStatuses.Queued, JobStatuses.Cancelled, JobStatuses.Refunded], view.History.Select(h => h.Status));
        Assert.Contains(cancelled[0].Id, view.History[^1].Detail, StringComparison.Ordinal);
        Assert.Equal(10_000, await fx.BalanceAsync(reg.LedgerAddress));
    }

    [Fact]
    public async Task A_queued_job_says_why_it_waits()
    {
        // montecarlo: no other test runs a worker of this kind.
        var parameters = JsonDocument.Parse("""{"s0":100,"strike":100,"rate":0.01,"sigma":0.2,"maturity":1,"paths":1024,"seed":7}""").RootElement;
        var (customer, _) = await fx.NewCustomerAsync(10_000_000);
        var job = await customer.SubmitJobAsync(new SubmitJobRequest("montecarlo", parameters, 500));
        var alone = await customer.GetJobAsync(job.JobId);

        var (provider, _) = await fx.NewProviderAsync();
        var dear = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("dear", [new DeviceInfo("cpu", 1L << 30, 4, 1)], 1_000, ["montecarlo"]));
        using var none = await provider.LeaseAsync(dear.WorkerId, new LeaseRequest(0, 1));
        var tooDear = await customer.GetJobAsync(job.JobId);

        Assert.Equal(JobStatuses.Queued, alone.Status);
        Assert.StartsWith("no worker that runs montecarlo asked for work", alone.Waiting, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, none.StatusCode);
        Assert.Contains("asks more than the bid of 500", tooDear.Waiting, StringComparison.Ordinal);
        Assert.True(tooDear.Waiting!.Contains("lowest ask 1000", StringComparison.Ordinal), tooDear.Waiting);
        Assert.Null((await customer.CancelJobAsync(job.JobId)).Waiting);
    }

    [Fact]
    public async Task Worker_without_heartbeats_goes_offline()
    {
        var (provider, _) = await fx.NewProviderAsync();
        var worker = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("quiet", [new DeviceInfo("cpu", 1L << 30, 4, 1)], Ask));
        Assert.Equal("online", worker.Status);

        var offline = await MarketplaceFixture.WaitForAsync(() => provider.GetWorkerAsync(worker.WorkerId), w => w.Status == "offline", TimeSpan.FromSeconds(20));
        var back = await provider.HeartbeatAsync(worker.WorkerId, new HeartbeatRequest());

        Assert.Equal("offline", offline.Status);
        Assert.Equal("online", back.Status);
    }
}
