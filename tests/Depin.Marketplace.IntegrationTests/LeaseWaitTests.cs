using Depin.Contracts.Marketplace;
using Depin.Marketplace.Jobs;
using Depin.Marketplace.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Depin.Marketplace.IntegrationTests;

/// <summary>Lease requests wait in the queue grain of their kind, so a queued job wakes one whichever silo took the request.</summary>
[Collection(MarketplaceCollection.Name)]
public sealed class LeaseWaitTests(MarketplaceFixture fx)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_queued_job_wakes_the_longest_waiting_request_that_can_run_it_and_no_other()
    {
        var queue = fx.Services.GetRequiredService<IGrainFactory>().GetGrain<IJobQueueGrain>("wait-" + Guid.NewGuid().ToString("N"));
        using var gone = new CancellationTokenSource();
        var tooDear = await WaitingAsync(queue, Offer("dear", ask: 10_000), CancellationToken.None);
        var first = await WaitingAsync(queue, Offer("first", ask: 100), CancellationToken.None);
        var left = await WaitingAsync(queue, Offer("left", ask: 100), gone.Token);
        var second = await WaitingAsync(queue, Offer("second", ask: 100), CancellationToken.None);

        await queue.Enqueue(Entry(bid: 500));
        Assert.True(await first.WaitAsync(TimeSpan.FromSeconds(5)));
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => left.WaitAsync(TimeSpan.FromSeconds(5)));
        // The caller's task ends at once; the queue hears of it by message, and then no job wakes a request that left.
        await Task.Delay(1_000);
        await queue.Enqueue(Entry(bid: 500));
        Assert.True(await second.WaitAsync(TimeSpan.FromSeconds(5)));
        await Task.Delay(300);
        Assert.False(tooDear.IsCompleted);

        // A job that is already queued answers a new request at once; one it cannot afford does not.
        Assert.True(await queue.WaitForJob(Offer("late", ask: 100), Long, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(await queue.WaitForJob(Offer("dear too", ask: 10_000), TimeSpan.FromMilliseconds(200), CancellationToken.None));
        await queue.Enqueue(Entry(bid: 20_000));
        Assert.True(await tooDear.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    private static async Task<Task<bool>> WaitingAsync(IJobQueueGrain queue, LeaseOffer offer, CancellationToken cancellationToken)
    {
        var wait = queue.WaitForJob(offer, Long, cancellationToken);
        // Waiters are woken in the order they came: let this one arrive before the next.
        await Task.Delay(300);
        Assert.False(wait.IsCompleted);
        return wait;
    }

    private static LeaseOffer Offer(string worker, long ask) => new(worker, "0x" + new string('0', 40), ask, 1L << 30);

    private static QueueEntry Entry(long bid) => new(Guid.NewGuid(), bid, 0, DateTimeOffset.UtcNow);
}

/// <summary>A worker whose lease request waits finds a job submitted meanwhile at once, not at its next look at the queue.</summary>
public sealed class LeaseWakeTests : IAsyncLifetime
{
    private readonly MarketplaceFixture _fx = new(new Dictionary<string, string?> { ["Marketplace:LeasePollInterval"] = "00:00:30" });

    public Task InitializeAsync() => _fx.InitializeAsync();

    public Task DisposeAsync() => _fx.DisposeAsync();

    [Fact]
    public async Task A_waiting_lease_request_gets_a_job_submitted_while_it_waits_without_polling()
    {
        var (customer, _) = await _fx.NewCustomerAsync(10_000);
        var (_, prov) = await _fx.NewProviderAsync();
        var provider = _fx.Api(prov.ApiKey);
        var worker = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("rig", [new DeviceInfo("cpu", 1L << 30, 1, 1)], 1_000_000, ["matmul"]));

        var lease = provider.LeaseAsync(worker.WorkerId, new LeaseRequest(0, 20));
        await Task.Delay(500);
        var started = DateTime.UtcNow;
        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), 2_000_000));
        var leased = await lease.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(job.JobId, leased.Content!.JobId);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "woken by the submission, not by the 30-s poll");
    }
}
