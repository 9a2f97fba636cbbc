using System.Numerics;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Rewards.Bridge;
using Depin.Rewards.Epochs;
using Depin.Rewards.IntegrationTests.Support;
using Nethereum.Signer;

namespace Depin.Rewards.IntegrationTests;

/// <summary>Epoch rewards backed by tokens minted into the Vault on a real anvil chain before the real ledger credits them.</summary>
[Collection(AnvilCollection.Name)]
public sealed class EmissionBackingTests(AnvilFixture anvil)
{
    private RewardsHost StartHost(VaultContract vault, RewardTokenContract token)
    {
        Dictionary<string, string?> settings = anvil.BridgeSettings(vault, token);
        settings["Rewards:RewardPoolFunding"] = "1000000000000";
        return new RewardsHost(settings);
    }

    [Fact]
    public async Task An_epoch_close_mints_exactly_what_it_credits_into_the_vault_and_a_rerun_mints_nothing_more()
    {
        var (token, vault, _) = await anvil.DeployVaultAsync();
        using RewardsHost host = StartHost(vault, token);
        ILedgerClient ledger = host.Get<ILedgerClient>();
        Address first = EthECKey.GenerateKey().Address;
        Address second = EthECKey.GenerateKey().Address;
        host.Seed(0, (first, 3_600, 8, 12, false), (second, 1_800, 4, 3, false));

        EpochRecord closed = await host.Get<EpochCloser>().CloseEpochAsync(0);
        EpochRecord again = await host.Get<EpochCloser>().CloseEpochAsync(0);
        long paid = (await ledger.GetAccountAsync(first.ToLowerHex())).Balance + (await ledger.GetAccountAsync(second.ToLowerHex())).Balance;

        Assert.True(closed.Distributed > 0);
        Assert.Equal(closed.Distributed, again.Distributed);
        Assert.Equal(closed.Distributed, paid);
        Assert.Equal(0, (await ledger.GetAccountAsync(LedgerAccounts.RewardPool)).Balance);
        Assert.Equal(closed.Distributed * VaultContract.UnitsPerMicroCredit, await vault.EmittedAsync(0));
        Assert.Equal(closed.Distributed * VaultContract.UnitsPerMicroCredit, await token.BalanceOfAsync(vault.Address));
        Assert.Equal(await token.BalanceOfAsync(vault.Address), await token.TotalSupplyAsync());
    }

    [Fact]
    public async Task Backing_an_epoch_again_after_a_crash_neither_mints_nor_deposits_twice()
    {
        var (token, vault, _) = await anvil.DeployVaultAsync();
        using RewardsHost host = StartHost(vault, token);
        IEmissionBacking backing = host.Get<IEmissionBacking>();

        await backing.BackAsync(7, 1_250_000);
        await backing.BackAsync(7, 1_250_000);
        var mismatch = await Assert.ThrowsAsync<InvalidOperationException>(() => backing.BackAsync(7, 1_000_000));

        Assert.True(backing.IsEnabled);
        Assert.Contains("epoch 7", mismatch.Message, StringComparison.Ordinal);
        Assert.Equal(1_250_000, (await host.Get<ILedgerClient>().GetAccountAsync(LedgerAccounts.RewardPool)).Balance);
        Assert.Equal(new BigInteger(1_250_000) * VaultContract.UnitsPerMicroCredit, await token.BalanceOfAsync(vault.Address));
    }
}
