using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Kernels.ProofOfWork;
using Depin.Marketplace.Canaries;
using Refit;

namespace Depin.Marketplace.IntegrationTests;

/// <summary>
/// Canary jobs on a marketplace that runs one every 300 ms (pow only), funded by the treasury, which a 50 % fee fills
/// from a customer's job first: an honest worker passes them and is paid; a worker that returns a valid but larger
/// nonce (the sampled check accepts it) fails one, is slashed, loses its reputation and its leases.
/// </summary>
public sealed class CanaryTests : IAsyncLifetime
{
    private readonly MarketplaceFixture fx = new(new Dictionary<string, string?>
    {
        ["Marketplace:CanaryInterval"] = "00:00:00.300",
        ["Marketplace:CanaryKinds:0"] = "pow",
        ["Marketplace:FeeBasisPoints"] = "5000",
        ["Marketplace:SlashBasisPoints"] = "2500",
        ["Marketplace:MinReputation"] = "0.5",
    });

    public Task InitializeAsync() => fx.InitializeAsync();

    public Task DisposeAsync() => fx.DisposeAsync();

    [Fact]
    public async Task An_honest_worker_passes_canaries_paid_by_the_treasury()
    {
        var (provider, prov) = await fx.NewProviderAsync();
        await using var honest = fx.StartAgent(prov.ApiKey, 1_000);
        var workerId = await honest.Agent.Registered;
        await FillTreasuryAsync();

        var canaries = await MarketplaceFixture.WaitForAsync(GetCanariesAsync, c => c.Passed >= 2, what: "two canaries to pass");
        var worker = await provider.GetWorkerAsync(workerId);
        var passed = canaries.Recent.Where(e => e.Outcome == "passed").ToList();

        Assert.Equal(0, canaries.Failed);
        Assert.Equal(0, worker.FailedVerifications);
        Assert.All(passed, e => Assert.Equal(workerId, e.WorkerId));
        Assert.All(passed, e => Assert.Contains(canaries.Recent, s => s.JobId == e.JobId && s.Outcome == "submitted"));
        Assert.InRange(canaries.Accounts, 1, 8);
        // A provider cannot read the canary's job (nor any job): job records belong to their customer.
        using var read = await fx.Http(prov.ApiKey).GetAsync($"/api/jobs/{passed[0].JobId}");
        Assert.Contains(read.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
    }

    [Fact]
    public async Task A_worker_that_skips_to_a_larger_nonce_fails_a_canary_and_is_slashed()
    {
        var (provider, prov) = await fx.NewProviderAsync();
        Assert.True((await fx.Ledger.SubmitAsync([new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: prov.PayoutAddress, Amount: 10_000)]))[0].Succeeded);
        await provider.StakeAsync(new StakeRequest(10_000));
        var leases = new List<LeaseView>();
        await using var lazy = fx.StartAgent(prov.ApiKey, 1_000, o => o.ResultFilter = (lease, result) =>
        {
            lock (leases)
            {
                leases.Add(lease);
            }

            return lease.Kind == PowKernel.KindName ? LargerNonce(lease, result) : result;
        });
        var workerId = await lazy.Agent.Registered;
        await FillTreasuryAsync();

        var canaries = await MarketplaceFixture.WaitForAsync(GetCanariesAsync, c => c.Failed >= 1, what: "a canary to fail");
        // The canary is judged first; the lease's end and the slash (a ledger transaction) are recorded just after.
        var worker = await MarketplaceFixture.WaitForAsync(() => provider.GetWorkerAsync(workerId), w => w.Slashes is { Count: > 0 } && w.FailedVerifications > 0, what: "the slash recorded");
        var failed = canaries.Recent.First(e => e.Outcome == "failed");
        using var refused = await provider.LeaseAsync(workerId, new LeaseRequest(0, 0));

        Assert.Equal(workerId, failed.WorkerId);
        Assert.Contains("smallest nonce", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(1, canaries.AccountsRetired);
        Assert.Equal(1, worker.FailedVerifications);
        var slash = Assert.Single(worker.Slashes!);
        Assert.Equal(failed.JobId, slash.JobId);
        Assert.Equal(2_500, slash.Amount);
        Assert.True(worker.Reputation < 0.5, $"reputation {worker.Reputation}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        // The canary reached the worker as an ordinary lease: the kind's usual parameters and nothing else.
        lock (leases)
        {
            var canary = leases.Single(l => l.JobId == failed.JobId);
            Assert.Equal(["challenge", "difficultyBits"], canary.Parameters.EnumerateObject().Select(p => p.Name));
            Assert.NotNull(canary.TraceParent);
        }
    }

    [Fact]
    public async Task An_admin_runs_a_canary_on_demand_and_nobody_else_can()
    {
        var anonymous = await fx.Http().GetAsync("/api/admin/canaries");
        var noWorker = await fx.Http(MarketplaceFixture.AdminKey).PostAsync("/api/admin/canaries?kind=pow", null);
        var badKind = await fx.Http(MarketplaceFixture.AdminKey).PostAsync("/api/admin/canaries?kind=nope", null);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noWorker.StatusCode);
        Assert.Contains("no pow worker", await noWorker.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Contains("kind", await badKind.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A customer's matmul job (price 524, fee 262 at 50 %) puts enough in the treasury for the canaries (pow escrow ≤ 65).</summary>
    private async Task FillTreasuryAsync()
    {
        var (customer, _) = await fx.NewCustomerAsync(10_000);
        var job = await customer.SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(64), 1_000));
        await MarketplaceFixture.WaitForStatusAsync(customer, job.JobId, JobStatuses.Settled);
    }

    private async Task<CanaryView> GetCanariesAsync() =>
        (await fx.Http(MarketplaceFixture.AdminKey).GetFromJsonAsync<CanaryView>("/api/admin/canaries"))!;

    /// <summary>The next nonce after the smallest one that also meets the difficulty: valid, but the range was not searched in order.</summary>
    private static byte[] LargerNonce(LeaseView lease, byte[] result)
    {
        PowResult.TryParse(result, out var found);
        var challenge = Convert.FromHexString(lease.Parameters.GetProperty("challenge").GetString()!);
        var bits = lease.Parameters.GetProperty("difficultyBits").GetInt32();
        var nonce = found.Nonce + 1;
        while (PowHash.LeadingZeroBits(PowHash.Hash(challenge, nonce)) < bits)
        {
            nonce++;
        }

        return new PowResult(true, nonce, PowHash.Hash(challenge, nonce)).ToBytes();
    }
}
