using Depin.Chain;

namespace Depin.AllInOne;

/// <summary>
/// The all-in-one host's Ethereum chain: when no <c>Rewards:Chain:RpcUrl</c> is configured and <c>LocalChain:Enabled</c>
/// (default true), starts a local anvil (from infra/chain's npm install), deploys the reward token, the Merkle
/// distributor and the state anchor, and points the rewards service at them. Without anvil the platform runs without a
/// chain and says how to get one.
/// </summary>
internal static class LocalChain
{
    /// <summary>Where the running anvil's pid is kept, so that a start after a SIGKILL stops the anvil the killed run left.</summary>
    private static readonly string PidFile = Path.Combine(".data", "anvil.pid");

    public static async Task<AnvilNode?> StartAsync(WebApplicationBuilder builder, ILogger logger)
    {
        if (!builder.Configuration.GetValue("LocalChain:Enabled", true) || !string.IsNullOrWhiteSpace(builder.Configuration["Rewards:Chain:RpcUrl"]))
        {
            return null;
        }

        AnvilNode node;
        try
        {
            CompileContractsIfMissing();
            StaleProcess.KillIfRunning(PidFile, "anvil", logger);
            node = await AnvilNode.StartAsync(ChainTools.FindAnvil());
            StaleProcess.Record(PidFile, node.ProcessId);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            logger.LogWarning(
                "No local Ethereum chain: {Reason}. Payout roots and ledger anchors stay off chain. To get one: (cd infra/chain && npm ci), or set Rewards:Chain:RpcUrl, SignerPrivateKey, DistributorAddress and StateAnchorAddress.",
                ex.Message);
            return null;
        }

        using var client = new ChainClient(node.Endpoint, AnvilNode.DefaultPrivateKeys[0]);
        var token = await RewardTokenContract.DeployAsync(client, "Depin Reward", "DPR");
        var distributor = await MerkleDistributorContract.DeployAsync(client, token.Address);
        await token.SetMinterAsync(distributor.Address, true);
        var anchor = await StateAnchorContract.DeployAsync(client);
        builder.Configuration["Rewards:Chain:RpcUrl"] = node.Endpoint.ToString();
        builder.Configuration["Rewards:Chain:SignerPrivateKey"] = AnvilNode.DefaultPrivateKeys[0];
        builder.Configuration["Rewards:Chain:DistributorAddress"] = distributor.Address.ToString();
        builder.Configuration["Rewards:Chain:StateAnchorAddress"] = anchor.Address.ToString();
        builder.Configuration["LocalChain:TokenAddress"] = token.Address.ToString();
        logger.LogInformation(
            "Local anvil at {Endpoint}: reward token {Token}, distributor {Distributor}, state anchor {Anchor}",
            node.Endpoint, token.Address, distributor.Address, anchor.Address);
        return node;
    }

    private static void CompileContractsIfMissing()
    {
        if (ContractArtifacts.AllPresent())
        {
            return;
        }

        using var node = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("node", ["compile.js"])
        {
            WorkingDirectory = ChainTools.FindChainDirectory(),
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("node could not be started to compile the contracts");
        node.WaitForExit();
        if (node.ExitCode != 0 || !ContractArtifacts.AllPresent())
        {
            throw new InvalidOperationException("compiling the contracts with solc (node compile.js in infra/chain) failed");
        }
    }
}
