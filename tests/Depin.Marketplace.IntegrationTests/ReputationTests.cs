using System.Net;
using Depin.Contracts.Marketplace;
using Depin.Marketplace.Workers;
using Refit;

namespace Depin.Marketplace.IntegrationTests;

/// <summary>The reputation arithmetic, and a marketplace (MinReputation 0.5) that stops leasing to a worker whose result failed verification.</summary>
public sealed class ReputationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly MarketplaceFixture fx = new(new Dictionary<string, string?>
    {
        ["Marketplace:MinReputation"] = "0.5",
        ["Marketplace:MaxAttempts"] = "3",
    });

    public Task InitializeAsync() => fx.InitializeAsync();

    public Task DisposeAsync() => fx.DisposeAsync();

    [Fact]
    public void A_failed_verification_weighs_five_outcomes_and_fades_with_the_half_life()
    {
        var fresh = new Reputation();
        var failed = fresh.After(LeaseOutcome.VerificationFailed, T0, Day);
        var expired = fresh.After(LeaseOutcome.Expired, T0, Day);
        var recovered = failed.After(LeaseOutcome.Verified, T0, Day).After(LeaseOutcome.Verified, T0, Day);

        Assert.Equal(1, fresh.ValueAt(T0, Day));
        Assert.Equal(1.0 / 6, failed.ValueAt(T0, Day), 9);
        Assert.Equal(0.5, expired.ValueAt(T0, Day), 9);
        Assert.Equal(3.0 / 8, recovered.ValueAt(T0, Day), 9);
        // A day later the failure weighs half: (1) / (1 + 2.5).
        Assert.Equal(1 / 3.5, failed.ValueAt(T0 + Day, Day), 9);
        Assert.True(failed.ValueAt(T0 + (30 * Day), Day) > 0.99);
        Assert.Same(failed, failed.After(LeaseOutcome.Released, T0 + Day, Day));
    }

    [Fact]
    public async Task A_worker_whose_result_failed_verification_gets_no_more_leases_and_is_told_why()
    {
        var (customer, _) = await fx.NewCustomerAsync(10_000);
        var (provider, prov) = await fx.NewProviderAsync();
        await using var cheat = fx.StartAgent(prov.ApiKey, 1_000, o => o.ResultFilter = (_, result) =>
        {
            var tampered = (byte[])result.Clone();
            BitConverter.TryWriteBytes(tampered.AsSpan(0, 4), BitConverter.ToSingle(tampered, 0) + 1000f);
            return tampered;
        });

        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), 1_000_000));
        var workerId = await cheat.Agent.Registered;
        // On a loaded machine an attempt may outlive its 2 s lease first (reputation 0.5, still leasing); the agent goes on until judged.
        var judged = await MarketplaceFixture.WaitForAsync(() => provider.GetWorkerAsync(workerId), w => w.FailedVerifications > 0, what: "a cheating result to be judged");
        using var refused = await provider.LeaseAsync(workerId, new LeaseRequest(0, 0));
        var queued = await customer.GetJobAsync(job.JobId);

        Assert.Equal(1, judged.FailedVerifications);
        Assert.True(judged.Reputation < 0.5, $"reputation {judged.Reputation}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("reputation", ((ApiException)refused.Error!).Content!, StringComparison.Ordinal);
        Assert.Contains(queued.Status, new[] { JobStatuses.Queued, JobStatuses.Refunded });
        Assert.Equal(1, (await provider.GetWorkerAsync(workerId)).FailedVerifications);
    }
}
