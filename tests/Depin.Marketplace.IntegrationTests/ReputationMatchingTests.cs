using System.Net;
using System.Security.Cryptography;
using Depin.Contracts.Marketplace;
using Refit;

namespace Depin.Marketplace.IntegrationTests;

/// <summary>
/// Matching prefers reputation: two workers with the same ask wait for work at once, the one whose result failed
/// verification (reputation 1/6) asking first; with a 3 s handicap at full shortfall (2.5 s for it) the other one gets the job, both
/// when the job is already queued and when it arrives while they wait.
/// </summary>
public sealed class ReputationMatchingTests : IAsyncLifetime
{
    private readonly MarketplaceFixture fx = new(new Dictionary<string, string?>
    {
        ["Marketplace:ReputationLeaseHandicap"] = "00:00:03",
        ["Marketplace:LeaseDuration"] = "00:00:30",
        ["Marketplace:HeartbeatTimeout"] = "00:00:30",
    });

    public Task InitializeAsync() => fx.InitializeAsync();

    public Task DisposeAsync() => fx.DisposeAsync();

    [Fact]
    public async Task Among_workers_with_equal_asks_the_better_reputation_gets_the_job()
    {
        var (customer, _) = await fx.NewCustomerAsync(100_000);
        var (reliable, reliableId) = await WorkerAsync();
        var (failing, failingId) = await WorkerAsync();

        var first = await customer.SubmitJobAsync(Pow(1));
        var taken = await LeaseAsync(failing, failingId, 5);
        Assert.Equal(first.JobId, taken!.JobId);
        var bytes = RandomNumberGenerator.GetBytes(41);
        var verdict = await failing.SubmitResultAsync(failingId, taken.JobId, new SubmitResultRequest(taken.FencingToken, Convert.ToBase64String(bytes), Convert.ToHexStringLower(SHA256.HashData(bytes))));
        Assert.False(verdict.Accepted);
        Assert.True((await failing.GetWorkerAsync(failingId)).Reputation < 0.2);

        // The failed job is queued again: the failing worker asks first, the reliable one 200 ms later.
        var (toFailing, toReliable) = await BothAskAsync();
        Assert.Null(toFailing);
        Assert.Equal(first.JobId, toReliable?.JobId);

        // A job that arrives while both wait.
        var askFailing = LeaseAsync(failing, failingId, 5);
        await Task.Delay(200);
        var askReliable = LeaseAsync(reliable, reliableId, 5);
        await Task.Delay(300);
        var second = await customer.SubmitJobAsync(Pow(2));
        Assert.Null(await askFailing);
        Assert.Equal(second.JobId, (await askReliable)?.JobId);

        async Task<(LeaseView? Failing, LeaseView? Reliable)> BothAskAsync()
        {
            var a = LeaseAsync(failing, failingId, 5);
            await Task.Delay(200);
            var b = LeaseAsync(reliable, reliableId, 5);
            return (await a, await b);
        }
    }

    private async Task<(IMarketplaceApi Api, string WorkerId)> WorkerAsync()
    {
        var (provider, _) = await fx.NewProviderAsync();
        var worker = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("w", [new DeviceInfo("cpu", 1L << 30, 4, 1)], 1_000, ["pow"]));
        return (provider, worker.WorkerId);
    }

    private static async Task<LeaseView?> LeaseAsync(IMarketplaceApi provider, string workerId, int waitSeconds)
    {
        using var response = await provider.LeaseAsync(workerId, new LeaseRequest(0, waitSeconds));
        return response.StatusCode == HttpStatusCode.OK ? response.Content : null;
    }

    private static SubmitJobRequest Pow(int seed) => new(
        "pow",
        System.Text.Json.JsonDocument.Parse($$"""{"challenge":"{{Convert.ToHexStringLower(SHA256.HashData([(byte)seed]))}}","difficultyBits":8}""").RootElement.Clone(),
        1_000);
}
