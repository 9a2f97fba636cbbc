using Depin.Chain;

namespace Depin.AllInOne;

/// <summary>
/// The all-in-one host's Ethereum chain: when no <c>Rewards:Chain:RpcUrl</c> is configured and <c>LocalChain:Enabled</c>
/// (default true), starts a local anvil (from infra/chain's npm install), deploys the token, the Vault (deposits in,
/// emissions, withdrawals out) and the state anchor, and points the rewards service at them. Without anvil the platform runs without a
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
                "No local Ethereum chain: {Reason}. There are no deposits through the Vault and ledger anchors stay off chain. To get one: (cd infra/chain && npm ci), or set Rewards:Chain:RpcUrl, SignerPrivateKey, VaultAddress, TokenAddress and StateAnchorAddress.",
                ex.Message);
            return null;
        }

        builder.Configuration["Rewards:Chain:RpcUrl"] = node.Endpoint.ToString();
        builder.Configuration["Rewards:Chain:SignerPrivateKey"] = AnvilNode.DefaultPrivateKeys[0];
        builder.Configuration["Rewards:Chain:DeployContracts"] = "true";
        await Depin.Rewards.Anchoring.DevelopmentContracts.ApplyAsync(builder.Configuration);
        logger.LogInformation(
            "Local anvil at {Endpoint}: token {Token}, vault {Vault}, state anchor {Anchor}",
            node.Endpoint, builder.Configuration["Rewards:Chain:TokenAddress"], builder.Configuration["Rewards:Chain:VaultAddress"],
            builder.Configuration["Rewards:Chain:StateAnchorAddress"]);
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
