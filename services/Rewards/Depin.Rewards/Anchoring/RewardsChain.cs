using Depin.Chain;

namespace Depin.Rewards.Anchoring;

/// <summary>The configured chain connection: a locally signing client for the contracts' owner, and the contract addresses. Null members mean "not configured".</summary>
public sealed class RewardsChain : IDisposable
{
    public RewardsChain(ChainSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.IsConfigured)
        {
            return;
        }

        _client = new ChainClient(new Uri(settings.RpcUrl!), settings.SignerPrivateKey!);
        Client = _client;
        if (!string.IsNullOrWhiteSpace(settings.DistributorAddress))
        {
            Distributor = new MerkleDistributorContract(Client, Address.Parse(settings.DistributorAddress));
        }

        if (!string.IsNullOrWhiteSpace(settings.StateAnchorAddress))
        {
            StateAnchor = new StateAnchorContract(Client, Address.Parse(settings.StateAnchorAddress));
        }

        if (!string.IsNullOrWhiteSpace(settings.VaultAddress))
        {
            Vault = new VaultContract(Client, Address.Parse(settings.VaultAddress));
        }

        if (!string.IsNullOrWhiteSpace(settings.TokenAddress))
        {
            Token = new RewardTokenContract(Client, Address.Parse(settings.TokenAddress));
        }
    }

    public VaultContract? Vault { get; }

    public RewardTokenContract? Token { get; }

    private readonly ChainClient? _client;

    public IChainClient? Client { get; }

    public MerkleDistributorContract? Distributor { get; }

    public StateAnchorContract? StateAnchor { get; }

    public void Dispose() => _client?.Dispose();
}
