using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Contracts.Rewards;

namespace Depin.AppHost.IntegrationTests;

/// <summary>The way out on the separate-process platform: the pool's provider withdraws earnings through the gateway, the marketplace hands it to the rewards process over HTTP, and the provider's wallet claims the tokens on anvil.</summary>
[Collection(PlatformCollection.Name)]
public sealed class WithdrawalTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_provider_withdraws_its_earnings_through_the_gateway_and_its_wallet_claims_the_tokens_once()
    {
        var provider = await platform.PoolProviderAsync();
        var api = platform.Api(provider.ApiKey);
        // Epoch rewards (15 s epochs here, backed by tokens minted into the Vault) give the pool's provider a balance.
        var funded = await PlatformFixture.WaitForAsync(() => api.GetProviderAsync(), p => p.Earnings >= 1_000, TimeSpan.FromSeconds(120));

        var withdrawal = await api.WithdrawAsync(new WithdrawRequest(1_000));
        var claimable = await PlatformFixture.WaitForAsync(() => api.GetWithdrawalAsync(withdrawal.Id), w => w.Status == "claimable", TimeSpan.FromSeconds(60));
        var bridge = await PlatformFixture.GetAsync<BridgeInfoDto>(platform.Gateway(), "/api/bridge");
        var wallet = LocalKeyFile.Load(Path.Combine(platform.DataDirectory, "pool-wallet.json"));
        // Gas for the claim from anvil's account 2: account 0 is the rewards service's signer, whose nonces are its own.
        using (var gas = new ChainClient(new Uri(bridge.RpcUrl!), AnvilNode.DefaultPrivateKeys[2]))
        {
            await gas.TransferAsync(wallet.Address, BigInteger.Pow(10, 17));
        }

        using var chain = new ChainClient(new Uri(bridge.RpcUrl!), wallet.Key);
        var vault = new VaultContract(chain, Address.Parse(claimable.Vault!));
        var amount = BigInteger.Parse(claimable.ClaimAmount!, System.Globalization.CultureInfo.InvariantCulture);
        Hash32[] proof = [.. claimable.Proof!.Select(Hash32.Parse)];
        await vault.WithdrawAsync((ulong)claimable.Batch!.Value, wallet.Address, amount, proof);
        var again = await Assert.ThrowsAsync<ContractRevertedException>(() => vault.WithdrawAsync((ulong)claimable.Batch!.Value, wallet.Address, amount, proof));
        var claimed = await api.GetWithdrawalAsync(withdrawal.Id);
        var tokens = await new RewardTokenContract(chain, Address.Parse(bridge.Token!)).BalanceOfAsync(wallet.Address);
        using var foreign = await platform.Gateway().GetAsync($"/api/withdrawals/{withdrawal.Id}");

        Assert.True(funded.Earnings >= 1_000);
        Assert.Equal("debited", withdrawal.Status);
        Assert.Equal(provider.PayoutAddress, withdrawal.Wallet, ignoreCase: true);
        Assert.Equal(1_000 * VaultContract.UnitsPerMicroCredit, amount);
        Assert.Equal(amount, tokens);
        Assert.Equal("Vault: already withdrawn", again.RevertReason);
        Assert.Equal("claimed", claimed.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, foreign.StatusCode);
    }
}
