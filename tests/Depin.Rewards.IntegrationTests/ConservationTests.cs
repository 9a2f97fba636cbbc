using System.Numerics;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Rewards.Bridge;
using Depin.Rewards.Epochs;
using Depin.Rewards.IntegrationTests.Support;
using Nethereum.Signer;
using Xunit.Abstractions;

namespace Depin.Rewards.IntegrationTests;

/// <summary>
/// Every credit is backed, read from the chain: after each step of a random sequence of deposits, paid jobs (escrow lock
/// and release with the treasury's fee), an epoch's rewards, withdrawals (some refused), batches and claims, the Vault
/// holds exactly the ledger's credits plus the published, unclaimed withdrawals.
/// </summary>
[Collection(AnvilCollection.Name)]
public sealed class ConservationTests(AnvilFixture anvil, ITestOutputHelper output)
{
    private static readonly BigInteger Unit = VaultContract.UnitsPerMicroCredit;

    [Theory]
    [InlineData(20261206)]
    [InlineData(7)]
    public async Task The_vault_backs_every_credit_after_each_step_of_a_random_sequence(int seed)
    {
        var (token, vault, deployed) = await anvil.DeployVaultAsync();
        Dictionary<string, string?> settings = anvil.BridgeSettings(vault, token, deployed);
        using var host = new RewardsHost(settings);
        ILedgerClient ledger = host.Get<ILedgerClient>();
        Withdrawals withdrawals = host.Get<Withdrawals>();
        BackingCheck backing = host.Get<BackingCheck>();
        var random = new Random(seed);
        Address[] accounts = [.. Enumerable.Range(0, 4).Select(_ => EthECKey.GenerateKey().Address)];
        EthECKey[] wallets = [await anvil.FundedKeyAsync(), await anvil.FundedKeyAsync()];
        EthECKey depositor = await anvil.FundedKeyAsync();
        await token.MintAsync(depositor.Address, 1_000_000_000 * Unit);
        await token.As(anvil.ClientFor(depositor)).ApproveAsync(vault.Address, 1_000_000_000 * Unit);
        var withdrawn = new List<string>();
        bool rewarded = false;
        var steps = new List<string>();

        for (int step = 0; step < 24; step++)
        {
            Address account = accounts[random.Next(accounts.Length)];
            switch (random.Next(7))
            {
                case 0:
                case 1:
                    long amount = random.Next(1, 5_000_000);
                    await vault.As(anvil.ClientFor(depositor)).DepositAsync(amount * Unit, account);
                    await host.Get<DepositWatcher>().PollAsync();
                    steps.Add($"deposit {amount}");
                    break;
                case 2:
                    string job = Guid.NewGuid().ToString();
                    long price = random.Next(1, 400_000);
                    Address provider = accounts[(Array.IndexOf(accounts, account) + 1) % accounts.Length];
                    var paid = await ledger.SubmitAsync(
                    [
                        new LedgerTransactionDto(Guid.NewGuid().ToString(), "escrow-lock", From: account.ToLowerHex(), Amount: price, Job: job),
                        new LedgerTransactionDto(Guid.NewGuid().ToString(), "escrow-release", From: account.ToLowerHex(), To: provider.ToLowerHex(), Amount: price, Fee: price / 10, Job: job),
                    ]);
                    steps.Add($"job {price}: {paid[0].Status}, {paid[1].Status}");
                    break;
                case 3:
                case 4:
                    long out_ = random.Next(1, 2_000_000);
                    string id = Guid.NewGuid().ToString();
                    WithdrawalRecord w = await withdrawals.RequestAsync(id, account, wallets[random.Next(wallets.Length)].Address, out_);
                    withdrawn.Add(id);
                    steps.Add($"withdraw {out_}: {w.Status}");
                    break;
                case 5:
                    steps.Add($"batch {await withdrawals.BatchAsync()}");
                    break;
                default:
                    if (!rewarded)
                    {
                        host.Seed(0, (accounts[0], 3_600, 8, 12, false), (accounts[1], 600, 2, 1, false));
                        EpochRecord epoch = await host.Get<EpochCloser>().CloseEpochAsync(0);
                        rewarded = true;
                        steps.Add($"epoch 0: {epoch.Distributed} rewarded");
                        break;
                    }

                    int claimed = await ClaimAllAsync(host, withdrawals, wallets, withdrawn);
                    steps.Add($"claims {claimed}");
                    break;
            }

            BackingReport report = await backing.CheckAsync();
            Assert.True(report.Difference.IsZero, $"seed {seed}, after {string.Join("; ", steps)}: vault {report.VaultBalance}, ledger {report.LedgerCredits}, unclaimed {report.Unclaimed}");
        }

        await withdrawals.BatchAsync();
        await ClaimAllAsync(host, withdrawals, wallets, withdrawn);
        BackingReport end = await backing.CheckAsync();
        output.WriteLine($"seed {seed}: {string.Join("; ", steps)}; Vault {end.VaultBalance}, unclaimed {end.Unclaimed}");
        Assert.True(end.Difference.IsZero);
        Assert.Equal(BigInteger.Zero, end.Unclaimed);
        Assert.Equal(0, (await ledger.GetAccountAsync("0x0000000000000000000000000000000000000003")).Balance);
    }

    /// <summary>Each wallet claims what it can; returns how many claims it sent.</summary>
    private async Task<int> ClaimAllAsync(RewardsHost host, Withdrawals withdrawals, EthECKey[] wallets, List<string> ids)
    {
        int sent = 0;
        foreach (string id in ids)
        {
            WithdrawalRecord? record = await withdrawals.GetAsync(id);
            if (record is null || await withdrawals.ClaimAsync(record) is not { } claim || await withdrawals.IsClaimedAsync(claim))
            {
                continue;
            }

            EthECKey wallet = wallets.Single(k => k.Address == claim.Wallet);
            await new VaultContract(anvil.ClientFor(wallet), host.Get<Depin.Rewards.Anchoring.RewardsChain>().Vault!.Address)
                .WithdrawAsync((ulong)claim.Batch, claim.Wallet, claim.Amount, claim.Proof);
            sent++;
        }

        return sent;
    }
}
