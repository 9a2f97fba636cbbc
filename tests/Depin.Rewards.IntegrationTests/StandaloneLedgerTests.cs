using Depin.Testing;
using System.Net.Http.Json;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Contracts.Rewards;
using Depin.Ledger;
using Depin.Ledger.Api;
using Depin.Rewards.Anchoring;
using Depin.Rewards.IntegrationTests.Support;
using Depin.Rewards.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.Signer;

namespace Depin.Rewards.IntegrationTests;

/// <summary>The rewards host against a separate ledger service on Kestrel (Rewards:LedgerUrl), with the ledger's gateway key.</summary>
public sealed class StandaloneLedgerTests : IAsyncLifetime
{
    private const string GatewayKey = "ledger-gateway-key";

    private readonly TempDirectory _data = new();
    private WebApplication _ledger = null!;
    private string _ledgerUrl = "";

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Ledger:DataDirectory"] = _data.Path;
        builder.Configuration["Ledger:GatewayApiKey"] = GatewayKey;
        builder.AddLedger();
        _ledger = builder.Build();
        _ledger.MapLedgerApi();
        await _ledger.StartAsync();
        _ledgerUrl = _ledger.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        await _ledger.StopAsync();
        await _ledger.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Rewards_are_credited_through_the_ledger_rest_api_and_its_head_is_read_over_http()
    {
        Dictionary<string, string?> settings = RewardsHost.Defaults();
        settings["Rewards:LedgerUrl"] = _ledgerUrl;
        settings["Rewards:LedgerApiKey"] = GatewayKey;
        using var host = new RewardsHost(settings);
        HttpClient http = host.CreateClient();
        ILedgerClient ledger = host.Get<ILedgerClient>();
        await ledger.FundRewardPoolAsync(2_000_000);
        Address provider = EthECKey.GenerateKey().Address;
        host.Seed(0, (provider, 60, 1, 1, false));

        await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/rewards/epochs/close") { Headers = { { "X-Api-Key", RewardsHost.AdminKey } } });
        var epoch = await http.GetFromJsonAsync<EpochDto>("/api/rewards/epochs/0");
        LedgerHead? head = await host.Get<ILedgerHeadSource>().GetHeadAsync();

        Assert.IsType<HttpLedgerClient>(ledger);
        Assert.Equal("closed", epoch!.Status);
        Assert.Equal(1_000_000, (await ledger.GetAccountAsync(provider.ToLowerHex())).Balance);
        Assert.Equal(1_000_000, (await ledger.GetAccountAsync(LedgerAccounts.RewardPool)).Balance);
        Assert.IsType<LedgerApiHeadSource>(host.Get<ILedgerHeadSource>());
        Assert.True(head!.Value.Height >= 2);
        Assert.False(head.Value.StateRoot.IsZero);
    }
}
