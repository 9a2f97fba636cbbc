using System.Numerics;
using Depin.Chain.Tests.Support;
using Nethereum.Signer;

namespace Depin.Chain.Tests.Integration;

[Collection(AnvilCollection.Name)]
public class VaultTests(AnvilFixture anvil)
{
    private static readonly BigInteger Credit = 1_000_000 * VaultContract.UnitsPerMicroCredit;

    private async Task<(RewardTokenContract Token, VaultContract Vault)> DeployAsync()
    {
        var owner = anvil.ClientFor(anvil.Deployer);
        RewardTokenContract token = await RewardTokenContract.DeployAsync(owner, "Depin Credit", "DPC");
        VaultContract vault = await VaultContract.DeployAsync(owner, token.Address);
        await token.SetMinterAsync(vault.Address, true);
        return (token, vault);
    }

    private async Task<EthECKey> HolderAsync(RewardTokenContract token, BigInteger tokens)
    {
        EthECKey holder = await anvil.FundedKeyAsync();
        await token.MintAsync(holder.Address, tokens);
        return holder;
    }

    [Fact]
    public async Task A_deposit_pulls_the_tokens_and_names_the_ledger_account_in_its_event()
    {
        var (token, vault) = await DeployAsync();
        EthECKey customer = await HolderAsync(token, 5 * Credit);
        Address ledgerAccount = Address.Parse("0xa11ce000000000000000000000000000c0ffee01");
        var client = anvil.ClientFor(customer);

        await token.As(client).ApproveAsync(vault.Address, 3 * Credit);
        TransactionReceipt receipt = await vault.As(client).DepositAsync(3 * Credit, ledgerAccount);

        VaultDeposit deposit = Assert.Single(await vault.GetDepositsAsync(receipt.BlockNumber, receipt.BlockNumber));
        Assert.Equal(customer.Address, deposit.From);
        Assert.Equal(ledgerAccount, deposit.LedgerAccount);
        Assert.Equal(3 * Credit, deposit.Amount);
        Assert.Equal(receipt.TransactionHash, deposit.Log.TransactionHash);
        Assert.Equal(3 * Credit, await token.BalanceOfAsync(vault.Address));
        Assert.Equal(2 * Credit, await token.BalanceOfAsync(customer.Address));
        Assert.Equal(3 * Credit, await vault.DepositedTotalAsync());
    }

    [Fact]
    public async Task A_deposit_that_is_not_a_whole_number_of_micro_credits_is_refused_and_moves_nothing()
    {
        var (token, vault) = await DeployAsync();
        EthECKey customer = await HolderAsync(token, Credit);
        var client = anvil.ClientFor(customer);
        await token.As(client).ApproveAsync(vault.Address, Credit);

        var error = await Assert.ThrowsAsync<ContractRevertedException>(() => vault.As(client).DepositAsync(VaultContract.UnitsPerMicroCredit + 1, Address.Parse("0xa11ce000000000000000000000000000c0ffee02")));

        Assert.Equal("Vault: not a whole number of micro-credits", error.RevertReason);
        Assert.Equal(BigInteger.Zero, await token.BalanceOfAsync(vault.Address));
        Assert.Equal(Credit, await token.BalanceOfAsync(customer.Address));
    }

    [Theory]
    [InlineData("0x0000000000000000000000000000000000000001", "Vault: reserved ledger account")]
    [InlineData("0x0000000000000000000000000000000000000003", "Vault: reserved ledger account")]
    [InlineData("0xe5c0ffee00000000000000000000000000000007", "Vault: escrow ledger account")]
    public async Task A_deposit_to_an_account_the_ledger_never_credits_is_refused_and_moves_nothing(string account, string reason)
    {
        var (token, vault) = await DeployAsync();
        EthECKey customer = await HolderAsync(token, Credit);
        var client = anvil.ClientFor(customer);
        await token.As(client).ApproveAsync(vault.Address, Credit);

        var error = await Assert.ThrowsAsync<ContractRevertedException>(() => vault.As(client).DepositAsync(Credit, Address.Parse(account)));

        Assert.Equal(reason, error.RevertReason);
        Assert.Equal(BigInteger.Zero, await token.BalanceOfAsync(vault.Address));
        Assert.Equal(Credit, await token.BalanceOfAsync(customer.Address));
    }

    [Fact]
    public async Task An_epoch_emission_is_minted_into_the_vault_once_and_only_by_the_owner()
    {
        var (token, vault) = await DeployAsync();

        await vault.MintEmissionAsync(4, 7 * Credit);
        var twice = await Assert.ThrowsAsync<ContractRevertedException>(() => vault.MintEmissionAsync(4, 7 * Credit));
        EthECKey stranger = await anvil.FundedKeyAsync();
        var notOwner = await Assert.ThrowsAsync<ContractRevertedException>(() => vault.As(anvil.ClientFor(stranger)).MintEmissionAsync(5, Credit));

        Assert.Equal("Vault: epoch already emitted", twice.RevertReason);
        Assert.Equal("Vault: not owner", notOwner.RevertReason);
        Assert.Equal(7 * Credit, await vault.EmittedAsync(4));
        Assert.Equal(7 * Credit, await token.BalanceOfAsync(vault.Address));
        Assert.Equal(7 * Credit, await token.TotalSupplyAsync());
    }

    [Fact]
    public async Task A_withdrawal_is_claimed_once_with_its_proof_and_a_wrong_proof_reverts()
    {
        var (token, vault) = await DeployAsync();
        await vault.MintEmissionAsync(0, 10 * Credit);
        EthECKey owner = await anvil.FundedKeyAsync();
        var random = Random32.Seeded(91);
        var payouts = new List<Payout> { new(owner.Address, (UInt128)(ulong)(2 * Credit)) };
        payouts.AddRange(Enumerable.Range(0, 6).Select(_ => new Payout(random.NextAddress(), (UInt128)(ulong)Credit)));
        var batch = new PayoutMerkleTree(3, payouts);
        await vault.SetWithdrawalRootAsync(3, batch.Root, 8 * Credit);
        Hash32[] proof = batch.GetProof(batch.IndexOf(owner.Address));
        var claimer = vault.As(anvil.ClientFor(owner));

        await claimer.WithdrawAsync(3, owner.Address, 2 * Credit, proof);
        var again = await Assert.ThrowsAsync<ContractRevertedException>(() => claimer.WithdrawAsync(3, owner.Address, 2 * Credit, proof));
        Hash32[] wrong = batch.GetProof(batch.IndexOf(payouts[1].Account));
        var invalid = await Assert.ThrowsAsync<ContractRevertedException>(() => claimer.WithdrawAsync(3, payouts[2].Account, Credit, wrong));
        var inflated = await Assert.ThrowsAsync<ContractRevertedException>(() => claimer.WithdrawAsync(3, payouts[1].Account, 2 * Credit, wrong));

        Assert.Equal("Vault: already withdrawn", again.RevertReason);
        Assert.Equal("Vault: invalid proof", invalid.RevertReason);
        Assert.Equal("Vault: invalid proof", inflated.RevertReason);
        Assert.Equal(2 * Credit, await token.BalanceOfAsync(owner.Address));
        Assert.Equal(8 * Credit, await token.BalanceOfAsync(vault.Address));
        Assert.True(await vault.IsWithdrawnAsync(3, owner.Address));
        Assert.Equal(2 * Credit, await vault.WithdrawnTotalAsync());
    }
}
