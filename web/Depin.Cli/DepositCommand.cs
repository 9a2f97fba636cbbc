using System.CommandLine;
using System.Net;
using System.Numerics;
using Depin.Chain;
using Depin.Contracts.Rewards;
using Refit;
using Spectre.Console;

namespace Depin.Cli;

/// <summary><c>depin deposit</c>: tokens from the customer's wallet into the Vault, followed until the ledger credits them.</summary>
internal static class DepositCommand
{
    private static readonly string[] Final = ["credited", "orphaned", "rejected"];

    public static Command Build(Option<string?> url, Option<string?> key)
    {
        var amount = new Argument<long>("amount") { Description = "Micro-credits to deposit (1 token = 1,000,000 micro-credits)" };
        var keyFile = WithdrawCommands.KeyFile("Wallet key file that holds the tokens and pays the gas (created when missing)");
        var testTokens = new Option<bool>("--test-tokens") { Description = "Local development chain only: get the tokens and gas from the platform's faucet first" };
        var command = new Command("deposit", "Deposit tokens into the Vault on chain; your account is credited after the confirmations") { amount, keyFile, testTokens };
        command.SetAction((parse, ct) => Commands.Run(parse, url, key, async api =>
        {
            long microCredits = parse.GetValue(amount);
            if (microCredits <= 0)
            {
                throw new InvalidOperationException("amount must be a positive number of micro-credits");
            }

            IBridgeApi bridge = Client.Bridge(parse.GetValue(url) ?? Profile.Load().Url);
            BridgeInfoDto info = await bridge.GetInfoAsync(ct);
            if (!info.Enabled || info.RpcUrl is null || info.Vault is null || info.Token is null)
            {
                throw new InvalidOperationException("this platform has no deposit bridge (no chain is configured)");
            }

            var customer = await api.GetCustomerAsync(ct);
            LocalKeyFile wallet = LocalKeyFile.LoadOrCreate(parse.GetValue(keyFile)!);
            BigInteger units = microCredits * BigInteger.Parse(info.UnitsPerMicroCredit, System.Globalization.CultureInfo.InvariantCulture);
            if (parse.GetValue(testTokens))
            {
                await bridge.DevFundAsync(new DevFundRequest(wallet.Address.ToString(), (microCredits + 999_999) / 1_000_000), ct);
            }

            using var chain = new ChainClient(new Uri(info.RpcUrl), wallet.Key);
            var token = new RewardTokenContract(chain, Address.Parse(info.Token));
            BigInteger held = await token.BalanceOfAsync(wallet.Address, ct);
            if (held < units)
            {
                throw new InvalidOperationException($"wallet {wallet.Address} holds {held} token units; the deposit needs {units}");
            }

            var vault = new VaultContract(chain, Address.Parse(info.Vault));
            await token.ApproveAsync(vault.Address, units, ct);
            TransactionReceipt receipt = await vault.DepositAsync(units, Address.Parse(customer.LedgerAddress), ct);
            AnsiConsole.MarkupLine($"Deposited {microCredits:N0} micro-credits from {wallet.Address} for {customer.LedgerAddress} in [green]{receipt.TransactionHash}[/] (block {receipt.BlockNumber})");
            await FollowAsync(bridge, receipt.TransactionHash, ct);
        }));
        return command;
    }

    /// <summary>Prints the deposit's status each time it changes, until the ledger credits it (or it is orphaned or refused).</summary>
    private static async Task FollowAsync(IBridgeApi bridge, Hash32 transaction, CancellationToken ct)
    {
        string? last = null;
        DateTime deadline = DateTime.UtcNow.AddMinutes(10);
        while (DateTime.UtcNow < deadline)
        {
            DepositDto? deposit = null;
            try
            {
                deposit = (await bridge.GetDepositsAsync(transaction.ToString(), ct)).Deposits[0];
            }
            catch (ApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }

            string detail = deposit?.Detail ?? "waiting for the platform to see it";
            if (detail != last)
            {
                AnsiConsole.MarkupLine($"  {Markup.Escape(detail)}");
                last = detail;
            }

            if (deposit is not null && Final.Contains(deposit.Status))
            {
                if (deposit.Status != "credited")
                {
                    throw new InvalidOperationException($"the deposit was {deposit.Status}: {deposit.Detail}");
                }

                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        throw new InvalidOperationException($"the deposit {transaction} was not credited within 10 minutes; follow it with GET /api/bridge/deposits/{transaction}");
    }
}
