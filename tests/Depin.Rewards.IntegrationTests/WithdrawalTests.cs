using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Contracts.Rewards;
using Depin.Rewards.Bridge;
using Depin.Rewards.IntegrationTests.Support;
using Depin.Testing;
using Nethereum.Signer;

namespace Depin.Rewards.IntegrationTests;

/// <summary>Withdrawals on a real anvil chain and the real durable ledger, state in PostgreSQL: request, batch root on the Vault, claim.</summary>
[Collection(AnvilCollection.Name)]
public sealed class WithdrawalTests(AnvilFixture anvil, PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private const string Bridge = "0x0000000000000000000000000000000000000003";
    private static readonly BigInteger Unit = VaultContract.UnitsPerMicroCredit;

    private readonly TempDirectory _ledger = new();

    public void Dispose() => _ledger.Dispose();

    private async Task<(RewardsHost Host, RewardTokenContract Token, VaultContract Vault)> StartAsync()
    {
        var (token, vault, deployed) = await anvil.DeployVaultAsync();
        Dictionary<string, string?> settings = anvil.BridgeSettings(vault, token, deployed);
        settings["Ledger:DataDirectory"] = _ledger.Path;
        settings["ConnectionStrings:rewards"] = await postgres.CreateDatabaseAsync();
        return (new RewardsHost(settings), token, vault);
    }

    /// <summary>Tokens deposited through the Vault for <paramref name="account"/> and credited by the watcher.</summary>
    private async Task DepositAsync(RewardsHost host, RewardTokenContract token, VaultContract vault, Address account, long microCredits)
    {
        EthECKey wallet = await anvil.FundedKeyAsync();
        await token.MintAsync(wallet.Address, microCredits * Unit);
        await token.As(anvil.ClientFor(wallet)).ApproveAsync(vault.Address, microCredits * Unit);
        await vault.As(anvil.ClientFor(wallet)).DepositAsync(microCredits * Unit, account);
        Assert.Equal(1, await host.Get<DepositWatcher>().PollAsync());
    }

    private static async Task<HttpResponseMessage> RequestAsync(HttpClient http, string id, Address account, Address wallet, long microCredits, string? key = RewardsHost.AdminKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bridge/withdrawals")
        {
            Content = JsonContent.Create(new WithdrawalRequestDto(id, account.ToString(), wallet.ToString(), microCredits)),
        };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await http.SendAsync(request);
    }

    private static async Task<long> BalanceAsync(ILedgerClient ledger, string account) => (await ledger.GetAccountAsync(account)).Balance;

    [Fact]
    public async Task Withdrawals_are_batched_into_a_root_on_the_vault_and_each_wallet_claims_its_total_once()
    {
        var (host, token, vault) = await StartAsync();
        using RewardsHost _ = host;
        HttpClient http = host.CreateClient();
        ILedgerClient ledger = host.Get<ILedgerClient>();
        Address customer = EthECKey.GenerateKey().Address;
        EthECKey wallet = await anvil.FundedKeyAsync();
        Address other = EthECKey.GenerateKey().Address;
        await DepositAsync(host, token, vault, customer, 5_000_000);
        string first = Guid.NewGuid().ToString(), second = Guid.NewGuid().ToString(), third = Guid.NewGuid().ToString(), tooMuch = Guid.NewGuid().ToString();

        using (HttpResponseMessage created = await RequestAsync(http, first, customer, wallet.Address, 1_200_000))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        (await RequestAsync(http, second, customer, wallet.Address, 300_000)).Dispose();
        (await RequestAsync(http, third, customer, other, 500_000)).Dispose();
        WithdrawalDto refused = (await (await RequestAsync(http, tooMuch, customer, other, 10_000_000)).Content.ReadFromJsonAsync<WithdrawalDto>())!;
        long customerAfterRequests = await BalanceAsync(ledger, customer.ToLowerHex());
        long bridgeAfterRequests = await BalanceAsync(ledger, Bridge);
        WithdrawalDto waiting = (await http.GetFromJsonAsync<WithdrawalDto>($"/api/bridge/withdrawals/{first}"))!;

        using var batch = new HttpRequestMessage(HttpMethod.Post, "/api/bridge/withdrawals/batches") { Headers = { { "X-Api-Key", RewardsHost.AdminKey } } };
        Assert.Equal(0L, await (await http.SendAsync(batch)).Content.ReadFromJsonAsync<long?>());
        WithdrawalDto claimable = (await http.GetFromJsonAsync<WithdrawalDto>($"/api/bridge/withdrawals/{first}"))!;
        var claimer = new VaultContract(anvil.ClientFor(wallet), Address.Parse(claimable.Vault!));
        BigInteger amount = BigInteger.Parse(claimable.ClaimAmount!, System.Globalization.CultureInfo.InvariantCulture);
        Hash32[] proof = [.. claimable.Proof!.Select(Hash32.Parse)];
        await claimer.WithdrawAsync((ulong)claimable.Batch!.Value, wallet.Address, amount, proof);
        var again = await Assert.ThrowsAsync<ContractRevertedException>(() => claimer.WithdrawAsync((ulong)claimable.Batch!.Value, wallet.Address, amount, proof));
        WithdrawalDto claimed = (await http.GetFromJsonAsync<WithdrawalDto>($"/api/bridge/withdrawals/{second}"))!;

        Assert.Equal("refused", refused.Status);
        Assert.Equal(3_000_000, customerAfterRequests);
        Assert.Equal(2_000_000, bridgeAfterRequests);
        Assert.Equal("debited", waiting.Status);
        Assert.Equal("claimable", claimable.Status);
        Assert.Equal(1_500_000 * Unit, amount);
        Assert.Equal(1_500_000 * Unit, await token.BalanceOfAsync(wallet.Address));
        Assert.Equal("Vault: already withdrawn", again.RevertReason);
        Assert.Equal("claimed", claimed.Status);
        Assert.Equal(0, await BalanceAsync(ledger, Bridge));

        // Conservation, read from the chain: the Vault holds the ledger's credits plus what is published and not yet claimed.
        BigInteger unclaimed = 2_000_000 * Unit - await vault.WithdrawnTotalAsync();
        Assert.Equal(await BalanceAsync(ledger, customer.ToLowerHex()) * Unit + unclaimed, await token.BalanceOfAsync(vault.Address));
    }

    [Fact]
    public async Task A_withdrawal_whose_ledger_answer_was_lost_is_resolved_once_by_the_next_batch()
    {
        var (host, token, vault) = await StartAsync();
        using RewardsHost _ = host;
        ILedgerClient ledger = host.Get<ILedgerClient>();
        IWithdrawalStore store = host.Get<IWithdrawalStore>();
        Address customer = EthECKey.GenerateKey().Address;
        Address wallet = EthECKey.GenerateKey().Address;
        await DepositAsync(host, token, vault, customer, 1_000_000);
        string neverSent = Guid.NewGuid().ToString(), sentNotRecorded = Guid.NewGuid().ToString();

        // Crashes between recording a withdrawal and recording the ledger's answer: once before the ledger saw it, once after.
        await store.AddWithdrawalAsync(new WithdrawalRecord(neverSent, customer, wallet, 100_000, WithdrawalStatus.Requested, null, null, null, DateTimeOffset.UtcNow));
        await store.AddWithdrawalAsync(new WithdrawalRecord(sentNotRecorded, customer, wallet, 200_000, WithdrawalStatus.Requested, null, null, null, DateTimeOffset.UtcNow));
        Assert.True((await ledger.SubmitAsync([new LedgerTransactionDto(sentNotRecorded, "withdraw", From: customer.ToLowerHex(), To: wallet.ToLowerHex(), Amount: 200_000)]))[0].Succeeded);
        long? batch = await host.Get<Withdrawals>().BatchAsync();
        long? none = await host.Get<Withdrawals>().BatchAsync();

        Assert.Equal(0L, batch);
        Assert.Null(none);
        Assert.Equal(700_000, await BalanceAsync(ledger, customer.ToLowerHex()));
        Assert.Equal(0, await BalanceAsync(ledger, Bridge));
        Assert.Equal(300_000 * Unit, await vault.WithdrawalTotalAsync(0));
        Assert.All(await store.GetBatchWithdrawalsAsync(0), w => Assert.Equal(WithdrawalStatus.Debited, w.Status));
    }

    [Fact]
    public async Task A_withdrawal_request_names_each_bad_field_and_needs_the_admin_key()
    {
        var (host, _, _) = await StartAsync();
        using RewardsHost __ = host;
        HttpClient http = host.CreateClient();

        using HttpResponseMessage anonymous = await RequestAsync(http, Guid.NewGuid().ToString(), EthECKey.GenerateKey().Address, EthECKey.GenerateKey().Address, 1, key: null);
        using var bad = new HttpRequestMessage(HttpMethod.Post, "/api/bridge/withdrawals")
        {
            Content = JsonContent.Create(new WithdrawalRequestDto("not-a-uuid", "0x12", null, 0)),
            Headers = { { "X-Api-Key", RewardsHost.AdminKey } },
        };
        using HttpResponseMessage invalid = await http.SendAsync(bad);
        string problem = await invalid.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        foreach (string field in new[] { "\"id\"", "\"ledgerAccount\"", "\"wallet\"", "\"microCredits\"" })
        {
            Assert.Contains(field, problem, StringComparison.Ordinal);
        }
    }
}
