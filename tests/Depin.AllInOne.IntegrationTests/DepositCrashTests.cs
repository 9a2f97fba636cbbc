using System.Net.Http.Json;
using System.Numerics;
using Depin.Chain;
using Nethereum.Signer;

namespace Depin.AllInOne.IntegrationTests;

/// <summary>
/// The host, on a chain the test owns (so a restart keeps it), is SIGKILLed by its own fault point after the ledger
/// credited a deposit and before the watcher recorded it: after the restart the deposit is credited, once.
/// </summary>
public sealed class DepositCrashTests : IAsyncLifetime
{
    private AnvilNode? _chain;
    private AllInOneHost? _host;

    public async Task InitializeAsync() => _chain = await AnvilNode.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_chain is not null)
        {
            await _chain.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_kill_between_the_ledger_credit_and_the_watchers_record_credits_the_deposit_once()
    {
        using var owner = new ChainClient(_chain!.Endpoint, AnvilNode.DefaultPrivateKeys[0]);
        var token = await RewardTokenContract.DeployAsync(owner, "Depin Credit", "DPC");
        var vault = await VaultContract.DeployAsync(owner, token.Address);
        var minter = await token.SetMinterAsync(vault.Address, true);
        _host = new AllInOneHost(new Dictionary<string, string>
        {
            ["Rewards__Chain__RpcUrl"] = _chain.Endpoint.ToString(),
            ["Rewards__Chain__SignerPrivateKey"] = AnvilNode.DefaultPrivateKeys[0],
            ["Rewards__Chain__VaultAddress"] = vault.Address.ToString(),
            ["Rewards__Chain__TokenAddress"] = token.Address.ToString(),
            ["Rewards__Bridge__StartBlock"] = minter.BlockNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Rewards__Bridge__Confirmations"] = "1",
            ["Rewards__Bridge__PollInterval"] = "00:00:00.200",
            ["Pool__Enabled"] = "false",
            ["DEPIN_FAULT_POINT"] = "deposit-credited",
        });
        await _host.InitializeAsync();
        Address account = EthECKey.GenerateKey().Address;
        var wallet = EthECKey.GenerateKey();
        await owner.TransferAsync(wallet.Address, BigInteger.Pow(10, 18));
        BigInteger amount = 4_200_000 * VaultContract.UnitsPerMicroCredit;
        await token.MintAsync(wallet.Address, amount);
        using var client = new ChainClient(_chain.Endpoint, wallet);
        await token.As(client).ApproveAsync(vault.Address, amount);
        var deposit = await vault.As(client).DepositAsync(amount, account);

        bool died = await _host.WaitForExitAsync(TimeSpan.FromSeconds(60));
        string firstRun = _host.Output;
        _host.SetEnvironment("DEPIN_FAULT_POINT", null);
        await _host.StartAsync();
        var credited = await WaitForCreditAsync(deposit.TransactionHash);
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/ledger/accounts/{account.ToLowerHex()}") { Headers = { { "X-Api-Key", AllInOneHost.AdminKey } } };
        var balance = await (await _host.Http.SendAsync(read)).Content.ReadFromJsonAsync<global::Depin.Contracts.Ledger.AccountDto>();

        Assert.True(died, $"the fault point was never reached:\n{firstRun}");
        Assert.Contains("fault point deposit-credited reached", firstRun, StringComparison.Ordinal);
        Assert.Equal("credited", credited.Status);
        Assert.Equal(4_200_000, balance!.Balance);
    }

    private async Task<global::Depin.Contracts.Rewards.DepositDto> WaitForCreditAsync(Hash32 transaction)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await _host!.Http.GetAsync($"/api/bridge/deposits/{transaction}");
            if (response.IsSuccessStatusCode)
            {
                var deposit = (await response.Content.ReadFromJsonAsync<global::Depin.Contracts.Rewards.DepositListDto>())!.Deposits[0];
                if (deposit.Status != "pending" || DateTime.UtcNow > deadline)
                {
                    return deposit;
                }
            }
            else if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"deposit {transaction} not seen after the restart:\n{_host.Output}");
            }

            await Task.Delay(250);
        }
    }
}
