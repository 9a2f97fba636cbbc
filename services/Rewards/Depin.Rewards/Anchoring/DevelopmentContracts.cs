using System.Text.Json;
using System.Text.Json.Nodes;
using Depin.Chain;
using Microsoft.Extensions.Configuration;

namespace Depin.Rewards.Anchoring;

/// <summary>
/// For a local development chain (<c>Rewards:Chain:DeployContracts</c>): deploys the reward token, the Merkle distributor
/// and the state anchor when no addresses are configured, and keeps them in <c>Rewards:Chain:ContractsFile</c> (default
/// .data/chain/contracts.json) with the chain's genesis hash. A restart on the same chain reuses them; a new chain (a
/// fresh anvil) gets new ones.
/// </summary>
public static class DevelopmentContracts
{
    /// <summary>Fills Rewards:Chain:DistributorAddress and StateAnchorAddress (and LocalChain:TokenAddress) when asked to.</summary>
    public static async Task ApplyAsync(IConfiguration configuration, CancellationToken cancellationToken = default)
    {
        var chain = configuration.GetSection("Rewards:Chain").Get<ChainSettings>() ?? new ChainSettings();
        if (!configuration.GetValue<bool>("Rewards:Chain:DeployContracts") || !chain.IsConfigured || !string.IsNullOrWhiteSpace(chain.DistributorAddress))
        {
            return;
        }

        var file = Path.GetFullPath(configuration["Rewards:Chain:ContractsFile"] ?? Path.Combine(".data", "chain", "contracts.json"));
        using var client = new ChainClient(new Uri(chain.RpcUrl!), chain.SignerPrivateKey!);
        var genesis = (await client.GetBlockAsync(0, cancellationToken))!.Hash.ToString();
        var saved = File.Exists(file) ? JsonNode.Parse(await File.ReadAllTextAsync(file, cancellationToken)) : null;
        if (saved?["genesis"]?.GetValue<string>() == genesis && await HasCodeAsync(client, saved["distributor"]!.GetValue<string>(), cancellationToken))
        {
            Apply(configuration, saved["token"]!.GetValue<string>(), saved["distributor"]!.GetValue<string>(), saved["anchor"]!.GetValue<string>());
            return;
        }

        var token = await RewardTokenContract.DeployAsync(client, "Depin Reward", "DPR", cancellationToken);
        var distributor = await MerkleDistributorContract.DeployAsync(client, token.Address, cancellationToken);
        await token.SetMinterAsync(distributor.Address, true, cancellationToken);
        var anchor = await StateAnchorContract.DeployAsync(client, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var document = new JsonObject
        {
            ["genesis"] = genesis,
            ["token"] = token.Address.ToString(),
            ["distributor"] = distributor.Address.ToString(),
            ["anchor"] = anchor.Address.ToString(),
        };
        await File.WriteAllTextAsync(file + ".tmp", document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        File.Move(file + ".tmp", file, overwrite: true);
        Apply(configuration, token.Address.ToString(), distributor.Address.ToString(), anchor.Address.ToString());
    }

    private static async Task<bool> HasCodeAsync(ChainClient client, string address, CancellationToken cancellationToken)
    {
        var code = await client.Web3.Eth.GetCode.SendRequestAsync(address).WaitAsync(cancellationToken);
        return code is { Length: > 2 };
    }

    private static void Apply(IConfiguration configuration, string token, string distributor, string anchor)
    {
        configuration["Rewards:Chain:DistributorAddress"] = distributor;
        configuration["Rewards:Chain:StateAnchorAddress"] = anchor;
        configuration["LocalChain:TokenAddress"] = token;
    }
}
