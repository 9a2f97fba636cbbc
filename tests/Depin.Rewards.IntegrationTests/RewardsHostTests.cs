using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Contracts.Rewards;
using Depin.Contracts.Events;
using Depin.Rewards.Epochs;
using Depin.Rewards.IntegrationTests.Support;
using Depin.ServiceDefaults.Eventing;
using Nethereum.Signer;

namespace Depin.Rewards.IntegrationTests;

/// <summary>The real host (Kestrel-less TestServer, in-process durable ledger) without a chain.</summary>
public sealed class RewardsHostTests : IDisposable
{
    private readonly RewardsHost _host = new(RewardsHost.Defaults());

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Wallet_registration_accepts_a_signed_challenge_and_refuses_its_replay()
    {
        HttpClient http = _host.CreateClient();
        EthECKey wallet = EthECKey.GenerateKey();

        var challenge = await (await http.PostAsJsonAsync("/api/wallets/challenges", new WalletChallengeRequest(wallet.Address.ToString()))).Content.ReadFromJsonAsync<WalletChallengeDto>();
        var request = new WalletVerifyRequest(wallet.Address.ToString(), challenge!.Message, WalletSignature.Sign(wallet, challenge.Message));
        HttpResponseMessage ok = await http.PostAsJsonAsync("/api/wallets/verify", request);
        HttpResponseMessage replay = await http.PostAsJsonAsync("/api/wallets/verify", request);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(wallet.Address.ToString(), (await ok.Content.ReadFromJsonAsync<WalletVerifiedDto>())!.Address);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(await replay.Content.ReadAsStringAsync());
        Assert.Equal("replayed", problem.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Challenge_for_an_invalid_address_is_a_validation_problem()
    {
        HttpResponseMessage response = await _host.CreateClient().PostAsJsonAsync("/api/wallets/challenges", new WalletChallengeRequest("0x123"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("address", out _));
    }

    [Fact]
    public async Task Hangfire_dashboard_is_served_to_admins_only()
    {
        HttpClient http = _host.CreateClient();

        HttpResponseMessage anonymous = await http.GetAsync("/hangfire");
        HttpResponseMessage wrongKey = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/hangfire") { Headers = { { "X-Api-Key", "guess" } } });
        HttpResponseMessage admin = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/hangfire") { Headers = { { "X-Api-Key", RewardsHost.AdminKey } } });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("Depin Rewards jobs", await admin.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Closing_requires_the_admin_key()
    {
        HttpResponseMessage response = await _host.CreateClient().PostAsync("/api/rewards/epochs/close", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Closed_epoch_is_credited_on_the_ledger_and_served_with_provider_rewards_and_proofs()
    {
        HttpClient http = _host.CreateClient();
        ILedgerClient ledger = _host.Get<ILedgerClient>();
        await ledger.FundRewardPoolAsync(5_000_000);
        Address alice = EthECKey.GenerateKey().Address;
        Address bob = EthECKey.GenerateKey().Address;
        Address cheat = EthECKey.GenerateKey().Address;
        _host.Seed(0, (alice, 3_600, 10, 30, false), (bob, 1_800, 10, 10, false), (cheat, 3_600, 10, 1_000, true));

        HttpResponseMessage close = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/rewards/epochs/close") { Headers = { { "X-Api-Key", RewardsHost.AdminKey } } });
        var epoch = await http.GetFromJsonAsync<EpochDto>("/api/rewards/epochs/0");
        var list = await http.GetFromJsonAsync<EpochListDto>("/api/rewards/epochs");
        var current = await http.GetFromJsonAsync<EpochDto>("/api/rewards/epochs/current");
        var aliceRewards = await http.GetFromJsonAsync<ProviderRewardsDto>($"/api/rewards/providers/{alice}");
        var proof = await http.GetFromJsonAsync<ClaimProofDto>($"/api/rewards/providers/{alice}/proofs/0");

        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        Assert.Equal("closed", epoch!.Status);
        Assert.Equal(1_000_000, epoch.Distributed);
        Assert.Equal(3, epoch.ProviderCount);
        Assert.Equal(0, Assert.Single(list!.Epochs).Epoch);
        Assert.Equal(1, current!.Epoch);
        Assert.Equal("open", current.Status);

        // Availability 400 000 by 36 000 : 18 000 : 36 000; work 600 000 by 30 : 10 (the cheat forfeits its work).
        long aliceTotal = 160_000 + 450_000;
        long bobTotal = 80_000 + 150_000;
        long cheatTotal = 160_000;
        Assert.Equal((aliceTotal, 0), (aliceRewards!.Total, aliceRewards.Pending));
        Assert.Equal(new ProviderEpochRewardDto(0, 160_000, 450_000, aliceTotal, Credited: true), Assert.Single(aliceRewards.Epochs));
        Assert.Equal(aliceTotal, (await ledger.GetAccountAsync(alice.ToLowerHex())).Balance);
        Assert.Equal(bobTotal, (await ledger.GetAccountAsync(bob.ToLowerHex())).Balance);
        Assert.Equal(cheatTotal, (await ledger.GetAccountAsync(cheat.ToLowerHex())).Balance);
        Assert.Equal(4_000_000, (await ledger.GetAccountAsync(LedgerAccounts.RewardPool)).Balance);

        Assert.Equal(aliceTotal.ToString(System.Globalization.CultureInfo.InvariantCulture), proof!.Amount);
        Assert.Equal(epoch.MerkleRoot, proof.Root);
        Assert.False(proof.Anchored);
        Assert.Null(proof.Distributor);
        Assert.True(PayoutMerkleTree.Verify(Hash32.Parse(proof.Root), PayoutMerkleTree.Leaf(0, alice, (UInt128)aliceTotal), [.. proof.Proof.Select(Hash32.Parse)]));
    }

    [Fact]
    public async Task Unknown_epochs_and_providers_without_rewards_are_not_found()
    {
        HttpClient http = _host.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/rewards/epochs/42")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/rewards/providers/{EthECKey.GenerateKey().Address}/proofs/42")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/rewards/providers/nope")).StatusCode);
    }

    [Fact]
    public async Task Marketplace_job_verified_events_count_as_verified_work_once_each()
    {
        IEventPublisher bus = _host.Get<IEventPublisher>();
        EpochClock clock = _host.Get<EpochClock>();
        EpochActivityRecorder recorder = _host.Get<EpochActivityRecorder>();
        Address provider = EthECKey.GenerateKey().Address;
        DateTimeOffset at = clock.Window(0).Start.AddMinutes(5);
        JobVerifiedEvent Verified(string id, long units) => new(id, "job-" + id, "0x00000000000000000000000000000000000000c1", provider.ToLowerHex(), "w1", 100, 5, units, at);

        await bus.PublishAsync(MarketplaceTopics.JobVerified, Verified("e1", 40));
        await bus.PublishAsync(MarketplaceTopics.JobVerified, Verified("e1", 40));
        await bus.PublishAsync(MarketplaceTopics.JobVerified, Verified("e2", 2));

        long work = 0;
        for (int i = 0; i < 200 && work < 42; i++)
        {
            await Task.Delay(25);
            work = (await recorder.GetActivityAsync(clock.Window(0))).SingleOrDefault(a => a.PayoutAddress == provider).VerifiedWorkUnits;
        }

        await Task.Delay(200);
        Assert.Equal(42, (await recorder.GetActivityAsync(clock.Window(0))).Single(a => a.PayoutAddress == provider).VerifiedWorkUnits);
    }

    [Fact]
    public async Task Epoch_closed_event_goes_out_on_the_platform_bus()
    {
        var received = new TaskCompletionSource<EpochClosedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        _host.Get<InProcessEventBus>().Subscribe<EpochClosedEvent>(RewardsTopics.EpochClosed, (e, _, _) =>
        {
            received.TrySetResult(e);
            return Task.CompletedTask;
        });

        await _host.Get<EpochCloser>().CloseDueEpochsAsync();

        Assert.Equal(0, (await received.Task.WaitAsync(TimeSpan.FromSeconds(10))).Epoch);
    }
}
