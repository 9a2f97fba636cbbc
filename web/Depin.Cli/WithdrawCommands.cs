using System.CommandLine;
using System.Numerics;
using Depin.Chain;
using Depin.Contracts.Marketplace;
using Depin.Contracts.Rewards;
using Spectre.Console;

namespace Depin.Cli;

/// <summary><c>depin wallet bind</c>, <c>depin withdraw</c> and <c>depin claim</c>: credits out to a wallet through the Vault.</summary>
internal static class WithdrawCommands
{
    public static IEnumerable<Command> Build(Option<string?> url, Option<string?> key)
    {
        var bindKeyFile = KeyFile("Wallet key file whose address your withdrawals are paid to (created when missing)");
        var bind = new Command("bind", "Customers: prove a wallet (EIP-191) and have your withdrawals paid to it") { bindKeyFile };
        bind.SetAction((parse, ct) => Commands.Run(parse, url, key, async api =>
        {
            var wallet = LocalKeyFile.LoadOrCreate(parse.GetValue(bindKeyFile)!);
            var challenge = await Client.Wallets(parse.GetValue(url) ?? Profile.Load().Url).IssueChallengeAsync(new WalletChallengeRequest(wallet.Address.ToString()), ct);
            var customer = await api.BindWalletAsync(new BindWalletRequest(wallet.Address.ToString(), wallet.SignChallenge(challenge.Message)), ct);
            AnsiConsole.MarkupLine($"Withdrawals of {customer.LedgerAddress} are paid to [green]{customer.Wallet}[/]");
        }));

        var amount = new Argument<long>("amount") { Description = "Micro-credits to withdraw (1 token = 1,000,000 micro-credits)" };
        var idempotency = new Option<string?>("--idempotency-key") { Description = "Withdrawing again with the same key returns the same withdrawal" };
        var withdraw = new Command("withdraw", "Withdraw credits to your wallet on chain (a provider's payout wallet, a customer's bound wallet); waits until claimable") { amount, idempotency };
        withdraw.SetAction((parse, ct) => Commands.Run(parse, url, key, async api =>
        {
            var withdrawal = await api.WithdrawAsync(new WithdrawRequest(parse.GetValue(amount), parse.GetValue(idempotency)), ct);
            AnsiConsole.MarkupLine($"Withdrawal [green]{withdrawal.Id}[/]: {withdrawal.MicroCredits:N0} micro-credits to {withdrawal.Wallet}");
            string last = string.Empty;
            DateTime deadline = DateTime.UtcNow.AddMinutes(10);
            while (withdrawal.Status is "requested" or "debited" && DateTime.UtcNow < deadline)
            {
                if (withdrawal.Detail != last)
                {
                    AnsiConsole.MarkupLine($"  {Markup.Escape(withdrawal.Detail)}");
                    last = withdrawal.Detail;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                withdrawal = await api.GetWithdrawalAsync(withdrawal.Id, ct);
            }

            AnsiConsole.MarkupLine($"  {Markup.Escape(withdrawal.Detail)}");
            if (withdrawal.Status == "claimable")
            {
                AnsiConsole.MarkupLine($"Claim it with: depin claim {withdrawal.Id}");
            }
        }));

        var id = new Argument<string>("withdrawal") { Description = "Withdrawal id" };
        var claimKeyFile = KeyFile("Key file of the wallet the withdrawal pays (it sends the claim and pays its gas)");
        var testGas = new Option<bool>("--test-gas") { Description = "Local development chain only: get gas for the claim (and one test token) from the platform's faucet first" };
        var claim = new Command("claim", "Claim a claimable withdrawal from the Vault with your wallet; the tokens arrive in it") { id, claimKeyFile, testGas };
        claim.SetAction((parse, ct) => Commands.Run(parse, url, key, async api =>
        {
            var withdrawal = await api.GetWithdrawalAsync(parse.GetValue(id)!, ct);
            if (withdrawal.Status != "claimable" || withdrawal.Proof is null || withdrawal.Vault is null || withdrawal.ClaimAmount is null)
            {
                throw new InvalidOperationException($"withdrawal {withdrawal.Id} is {withdrawal.Status}: {withdrawal.Detail}");
            }

            var bridge = Client.Bridge(parse.GetValue(url) ?? Profile.Load().Url);
            var info = await bridge.GetInfoAsync(ct);
            var wallet = LocalKeyFile.Load(parse.GetValue(claimKeyFile)!);
            if (!string.Equals(wallet.Address.ToString(), withdrawal.Wallet, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"the withdrawal pays {withdrawal.Wallet}, not the key file's {wallet.Address}");
            }

            if (parse.GetValue(testGas))
            {
                await bridge.DevFundAsync(new DevFundRequest(wallet.Address.ToString(), 1), ct);
            }

            using var chain = new ChainClient(new Uri(info.RpcUrl!), wallet.Key);
            var vault = new VaultContract(chain, Address.Parse(withdrawal.Vault));
            BigInteger amount = BigInteger.Parse(withdrawal.ClaimAmount, System.Globalization.CultureInfo.InvariantCulture);
            var receipt = await vault.WithdrawAsync((ulong)withdrawal.Batch!.Value, wallet.Address, amount, [.. withdrawal.Proof.Select(Hash32.Parse)], ct);
            var balance = await new RewardTokenContract(chain, Address.Parse(info.Token!)).BalanceOfAsync(wallet.Address, ct);
            AnsiConsole.MarkupLine($"Claimed {amount} base units in [green]{receipt.TransactionHash}[/]; {wallet.Address} now holds {balance} base units");
        }));

        return [new Command("wallet", "Your withdrawal wallet") { bind }, withdraw, claim];
    }

    /// <summary>A <c>--key-file</c> option, default ~/.depin/wallet.json.</summary>
    internal static Option<string> KeyFile(string description) => new("--key-file")
    {
        Description = description,
        DefaultValueFactory = _ => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".depin", "wallet.json"),
    };
}
