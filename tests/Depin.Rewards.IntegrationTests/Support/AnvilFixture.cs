using System.Net.Http.Json;
using System.Numerics;
using Depin.Chain;
using Nethereum.Signer;

namespace Depin.Rewards.IntegrationTests.Support;

/// <summary>One anvil node with the contracts compiled (npm ci / node compile.js in infra/chain when missing); killed at the end.</summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    private AnvilNode? _node;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri Endpoint => (_node ?? throw new InvalidOperationException("anvil is not started.")).Endpoint;

    /// <summary>anvil account 0: deploys and owns the contracts; the rewards service signs with it.</summary>
    public EthECKey Owner { get; } = new EthECKey(AnvilNode.DefaultPrivateKeys[0]);

    public ChainClient ClientFor(EthECKey key) => new(Endpoint, key);

    public async Task InitializeAsync()
    {
        string chainDir = ChainTools.FindChainDirectory();
        if (!Directory.Exists(Path.Combine(chainDir, "node_modules")))
        {
            ProcessRunner.Run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], chainDir);
        }

        if (!ContractArtifacts.AllPresent(chainDir))
        {
            ProcessRunner.Run("node", ["compile.js"], chainDir);
        }

        _node = await AnvilNode.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        Http.Dispose();
    }

    /// <summary>A fresh key funded with 10 ETH, so it can pay for its own claim.</summary>
    public async Task<EthECKey> FundedKeyAsync()
    {
        EthECKey key = EthECKey.GenerateKey();
        await ClientFor(Owner).TransferAsync(key.Address, BigInteger.Pow(10, 19));
        return key;
    }

    /// <summary>Token, distributor (a minter of the token) and state anchor, owned by <see cref="Owner"/>.</summary>
    public async Task<(RewardTokenContract Token, MerkleDistributorContract Distributor, StateAnchorContract Anchor)> DeployAsync()
    {
        ChainClient owner = ClientFor(Owner);
        RewardTokenContract token = await RewardTokenContract.DeployAsync(owner, "Depin Reward", "DPR");
        MerkleDistributorContract distributor = await MerkleDistributorContract.DeployAsync(owner, token.Address);
        await token.SetMinterAsync(distributor.Address, true);
        StateAnchorContract anchor = await StateAnchorContract.DeployAsync(owner);
        return (token, distributor, anchor);
    }

    /// <summary>A platform token and the Vault that holds it (a minter of the token, for epoch emissions), owned by <see cref="Owner"/>.</summary>
    public async Task<(RewardTokenContract Token, VaultContract Vault, ulong Block)> DeployVaultAsync()
    {
        ChainClient owner = ClientFor(Owner);
        RewardTokenContract token = await RewardTokenContract.DeployAsync(owner, "Depin Credit", "DPC");
        VaultContract vault = await VaultContract.DeployAsync(owner, token.Address);
        TransactionReceipt minter = await token.SetMinterAsync(vault.Address, true);
        return (token, vault, minter.BlockNumber);
    }

    /// <summary>
    /// The rewards host's settings (<see cref="RewardsHost.Defaults"/>) for a bridge to <paramref name="vault"/> on this chain,
    /// confirmed after <paramref name="confirmations"/> blocks from <paramref name="startBlock"/>; the watcher and the batcher
    /// do not run by themselves (tests call them).
    /// </summary>
    public Dictionary<string, string?> BridgeSettings(VaultContract vault, RewardTokenContract token, ulong startBlock = 0, int confirmations = 1)
    {
        Dictionary<string, string?> settings = RewardsHost.Defaults();
        settings["Rewards:Chain:RpcUrl"] = Endpoint.ToString();
        settings["Rewards:Chain:SignerPrivateKey"] = Owner.ToHex();
        settings["Rewards:Chain:VaultAddress"] = vault.Address.ToString();
        settings["Rewards:Chain:TokenAddress"] = token.Address.ToString();
        settings["Rewards:Bridge:Confirmations"] = confirmations.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Rewards:Bridge:StartBlock"] = startBlock.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Rewards:Bridge:RunWatcher"] = "false";
        settings["Rewards:Bridge:RunWithdrawalBatcher"] = "false";
        return settings;
    }

    /// <summary>A JSON-RPC call that Depin.Chain does not wrap (anvil's mining and snapshot methods); returns the result's raw JSON.</summary>
    public async Task<System.Text.Json.JsonElement> RpcAsync(string method, params object[] parameters)
    {
        using HttpResponseMessage response = await Http.PostAsJsonAsync(Endpoint, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        response.EnsureSuccessStatusCode();
        System.Text.Json.JsonElement body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        if (body.TryGetProperty("error", out System.Text.Json.JsonElement error))
        {
            throw new InvalidOperationException($"{method}: {error}");
        }

        return body.GetProperty("result").Clone();
    }

    /// <summary>Mines <paramref name="blocks"/> empty blocks.</summary>
    public Task MineAsync(int blocks) => RpcAsync("anvil_mine", $"0x{blocks:x}");
}

[CollectionDefinition(Name)]
public sealed class AnvilCollection : ICollectionFixture<AnvilFixture>
{
    public const string Name = "anvil";
}
