using System.Text.Json;
using System.Text.Json.Nodes;
using Depin.Chain;
using Microsoft.Extensions.Configuration;

namespace Depin.Rewards.Anchoring;

/// <summary>
/// For a local development chain (<c>Rewards:Chain:DeployContracts</c>): deploys the token, the Vault (a minter of the
/// token, for epoch emissions) and the state anchor when no addresses are configured, and keeps them in
/// <c>Rewards:Chain:ContractsFile</c> (default .data/chain/contracts.json) with the chain's genesis hash. A restart on the same chain reuses them; a new chain (a
/// fresh anvil) gets new ones. No Merkle distributor: rewards are credited on the ledger, backed by the epoch's emission in
/// the Vault, and reach the chain only through the Vault; the distributor's claims would pay each reward a second time.
/// </summary>
public static class DevelopmentContracts
{
    /// <summary>Fills the Rewards:Chain contract addresses and the bridge's first block when asked to.</summary>
    public static async Task ApplyAsync(IConfiguration configuration, CancellationToken cancellationToken = default)
    {
        var chain = configuration.GetSection("Rewards:Chain").Get<ChainSettings>() ?? new ChainSettings();
        if (!configuration.GetValue<bool>("Rewards:Chain:DeployContracts") || !chain.IsConfigured || !string.IsNullOrWhiteSpace(chain.VaultAddress))
        {
            return;
        }

        var file = Path.GetFullPath(configuration["Rewards:Chain:ContractsFile"] ?? Path.Combine(".data", "chain", "contracts.json"));
        using var client = new ChainClient(new Uri(chain.RpcUrl!), chain.SignerPrivateKey!);
        var genesis = (await client.GetBlockAsync(0, cancellationToken))!.Hash.ToString();
        var saved = File.Exists(file) ? JsonNode.Parse(await File.ReadAllTextAsync(file, cancellationToken)) : null;
        if (saved?["genesis"]?.GetValue<string>() == genesis && saved["vault"] is not null && await HasCodeAsync(client, saved["vault"]!.GetValue<string>(), cancellationToken))
        {
            Apply(configuration, saved);
            return;
        }

        var token = await RewardTokenContract.DeployAsync(client, "Depin Reward", "DPR", cancellationToken);
        var anchor = await StateAnchorContract.DeployAsync(client, cancellationToken);
        var vault = await VaultContract.DeployAsync(client, token.Address, cancellationToken);
        var vaultMinter = await token.SetMinterAsync(vault.Address, true, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var document = new JsonObject
        {
            ["genesis"] = genesis,
            ["token"] = token.Address.ToString(),
            ["anchor"] = anchor.Address.ToString(),
            ["vault"] = vault.Address.ToString(),
            ["vaultBlock"] = vaultMinter.BlockNumber,
        };
        await File.WriteAllTextAsync(file + ".tmp", document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        File.Move(file + ".tmp", file, overwrite: true);
        Apply(configuration, document);
    }

    private static async Task<bool> HasCodeAsync(ChainClient client, string address, CancellationToken cancellationToken)
    {
        var code = await client.Web3.Eth.GetCode.SendRequestAsync(address).WaitAsync(cancellationToken);
        return code is { Length: > 2 };
    }

    private static void Apply(IConfiguration configuration, JsonNode contracts)
    {
        configuration["Rewards:Chain:StateAnchorAddress"] = contracts["anchor"]!.GetValue<string>();
        configuration["Rewards:Chain:VaultAddress"] = contracts["vault"]!.GetValue<string>();
        configuration["Rewards:Chain:TokenAddress"] = contracts["token"]!.GetValue<string>();
        configuration["Rewards:Bridge:StartBlock"] = contracts["vaultBlock"]!.GetValue<ulong>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        // anvil mines a block per transaction and never reorganises by itself: one confirmation is the local chain's finality.
        configuration["Rewards:Bridge:Confirmations"] ??= "1";
        // A local chain costs nothing to write to: batch withdrawals every few seconds rather than every minute.
        configuration["Rewards:Bridge:WithdrawalBatchInterval"] ??= "00:00:05";
        configuration["LocalChain:TokenAddress"] = contracts["token"]!.GetValue<string>();
    }
}
