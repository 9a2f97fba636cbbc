using System.Net.Http.Json;
using System.Numerics;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Contracts.Rewards;
using Depin.Rewards.Bridge;
using Depin.Rewards.IntegrationTests.Support;
using Depin.Testing;
using Nethereum.Signer;
using Npgsql;

namespace Depin.Rewards.IntegrationTests;

/// <summary>Deposits through the Vault on a real anvil chain, followed by the watcher into the real ledger, with its state in PostgreSQL.</summary>
[Collection(AnvilCollection.Name)]
public sealed class BridgeDepositTests(AnvilFixture anvil, PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private const int Confirmations = 3;
    private static readonly BigInteger MicroCredit = VaultContract.UnitsPerMicroCredit;

    private readonly TempDirectory _ledger = new();

    public void Dispose() => _ledger.Dispose();

    private RewardsHost StartHost(VaultContract vault, RewardTokenContract token, ulong startBlock, string database)
    {
        Dictionary<string, string?> settings = anvil.BridgeSettings(vault, token, startBlock, Confirmations);
        settings["Ledger:DataDirectory"] = _ledger.Path;
        settings["ConnectionStrings:rewards"] = database;
        return new RewardsHost(settings);
    }

    /// <summary>A wallet holding tokens that deposits <paramref name="microCredits"/> for <paramref name="ledgerAccount"/>.</summary>
    private async Task<TransactionReceipt> DepositAsync(RewardTokenContract token, VaultContract vault, Address ledgerAccount, long microCredits)
    {
        EthECKey wallet = await anvil.FundedKeyAsync();
        BigInteger amount = microCredits * MicroCredit;
        await token.MintAsync(wallet.Address, amount);
        ChainClient client = anvil.ClientFor(wallet);
        await token.As(client).ApproveAsync(vault.Address, amount);
        return await vault.As(client).DepositAsync(amount, ledgerAccount);
    }

    private static async Task<DepositDto> StatusAsync(RewardsHost host, Hash32 transaction)
    {
        DepositListDto? list = await host.CreateClient().GetFromJsonAsync<DepositListDto>($"/api/bridge/deposits/{transaction}");
        return Assert.Single(list!.Deposits);
    }

    [Fact]
    public async Task A_deposit_shows_its_confirmations_while_pending_and_is_credited_once_when_buried()
    {
        var (token, vault, deployed) = await anvil.DeployVaultAsync();
        using RewardsHost host = StartHost(vault, token, deployed, await postgres.CreateDatabaseAsync());
        DepositWatcher watcher = host.Get<DepositWatcher>();
        ILedgerClient ledger = host.Get<ILedgerClient>();
        Address customer = EthECKey.GenerateKey().Address;

        TransactionReceipt deposit = await DepositAsync(token, vault, customer, 2_500_000);
        int creditedAtOnce = await watcher.PollAsync();
        DepositDto pending = await StatusAsync(host, deposit.TransactionHash);
        await anvil.MineAsync(Confirmations - 1);
        int credited = await watcher.PollAsync();
        int creditedAgain = await watcher.PollAsync();
        DepositDto done = await StatusAsync(host, deposit.TransactionHash);

        Assert.Equal(0, creditedAtOnce);
        Assert.Equal("pending", pending.Status);
        Assert.Equal($"seen, 1 of {Confirmations} confirmations", pending.Detail);
        Assert.Equal(1, credited);
        Assert.Equal(0, creditedAgain);
        Assert.Equal("credited", done.Status);
        Assert.Equal(2_500_000, done.MicroCredits);
        Assert.Equal(2_500_000, (await ledger.GetAccountAsync(customer.ToLowerHex())).Balance);
        Assert.Equal(customer.ToString(), done.LedgerAccount);
        Assert.Equal(BridgeIds.Deposit(31337, deposit.TransactionHash, (ulong)done.LogIndex), done.LedgerTransactionId);
    }

    [Fact]
    public async Task A_deposit_whose_block_is_reorganised_away_while_pending_is_never_credited()
    {
        var (token, vault, deployed) = await anvil.DeployVaultAsync();
        using RewardsHost host = StartHost(vault, token, deployed, await postgres.CreateDatabaseAsync());
        DepositWatcher watcher = host.Get<DepositWatcher>();
        Address customer = EthECKey.GenerateKey().Address;
        EthECKey wallet = await anvil.FundedKeyAsync();
        await token.MintAsync(wallet.Address, 1_000 * MicroCredit);
        await token.As(anvil.ClientFor(wallet)).ApproveAsync(vault.Address, 1_000 * MicroCredit);
        string snapshot = (await anvil.RpcAsync("evm_snapshot")).GetString()!;

        TransactionReceipt deposit = await vault.As(anvil.ClientFor(wallet)).DepositAsync(1_000 * MicroCredit, customer);
        await watcher.PollAsync();
        DepositDto pending = await StatusAsync(host, deposit.TransactionHash);
        Assert.True((await anvil.RpcAsync("evm_revert", snapshot)).GetBoolean());
        await anvil.MineAsync(Confirmations + 2);
        int credited = await watcher.PollAsync();
        await watcher.PollAsync();
        DepositDto orphaned = await StatusAsync(host, deposit.TransactionHash);

        Assert.Equal($"seen, 1 of {Confirmations} confirmations", pending.Detail);
        Assert.Equal(0, credited);
        Assert.Equal("orphaned", orphaned.Status);
        Assert.Equal(0, (await host.Get<ILedgerClient>().GetAccountAsync(customer.ToLowerHex())).Balance);
        Assert.Equal(BigInteger.Zero, await token.BalanceOfAsync(vault.Address));
    }

    [Fact]
    public async Task A_watcher_restarted_after_crediting_but_before_recording_it_credits_nothing_twice()
    {
        var (token, vault, deployed) = await anvil.DeployVaultAsync();
        string database = await postgres.CreateDatabaseAsync();
        Address first = EthECKey.GenerateKey().Address;
        Address second = EthECKey.GenerateKey().Address;
        TransactionReceipt one = await DepositAsync(token, vault, first, 700);
        TransactionReceipt two = await DepositAsync(token, vault, second, 300);
        await anvil.MineAsync(Confirmations);
        using (RewardsHost host = StartHost(vault, token, deployed, database))
        {
            Assert.Equal(2, await host.Get<DepositWatcher>().PollAsync());
        }

        // What a SIGKILL between the ledger's credit and the watcher's own record leaves: the credits are on the ledger,
        // the deposits are still pending and the cursor is back where it started.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var forget = new NpgsqlCommand("UPDATE bridge_deposits SET status = 0, ledger_height = NULL, credited_at = NULL; DELETE FROM bridge_blocks; UPDATE bridge_cursor SET next_block = @start", connection);
            forget.Parameters.AddWithValue("start", (long)deployed);
            await forget.ExecuteNonQueryAsync();
        }

        TransactionReceipt three = await DepositAsync(token, vault, first, 50);
        await anvil.MineAsync(Confirmations);
        using RewardsHost restarted = StartHost(vault, token, deployed, database);
        DepositWatcher watcher = restarted.Get<DepositWatcher>();
        await watcher.PollAsync();
        await watcher.PollAsync();
        ILedgerClient ledger = restarted.Get<ILedgerClient>();

        Assert.Equal(750, (await ledger.GetAccountAsync(first.ToLowerHex())).Balance);
        Assert.Equal(300, (await ledger.GetAccountAsync(second.ToLowerHex())).Balance);
        foreach (TransactionReceipt receipt in new[] { one, two, three })
        {
            Assert.Equal("credited", (await StatusAsync(restarted, receipt.TransactionHash)).Status);
        }
    }
}
