using Depin.Chain;

namespace Depin.Rewards.Anchoring;

/// <summary>The configured chain connection: a locally signing client for the contracts' owner, and the contract addresses. Null members mean "not configured".</summary>
public sealed class RewardsChain : IDisposable
{
    private readonly HttpClient? _http;

    public RewardsChain(ChainSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.IsConfigured)
        {
            return;
        }

        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var rpc = new EthJsonRpcClient(_http, new Uri(settings.RpcUrl!));
        Client = new JsonRpcChainClient(rpc, EthKey.FromHex(settings.SignerPrivateKey!));
        if (!string.IsNullOrWhiteSpace(settings.DistributorAddress))
        {
            Distributor = new MerkleDistributorContract(Client, Address.Parse(settings.DistributorAddress));
        }

        if (!string.IsNullOrWhiteSpace(settings.StateAnchorAddress))
        {
            StateAnchor = new StateAnchorContract(Client, Address.Parse(settings.StateAnchorAddress));
        }
    }

    public IChainClient? Client { get; }

    public MerkleDistributorContract? Distributor { get; }

    public StateAnchorContract? StateAnchor { get; }

    public void Dispose() => _http?.Dispose();
}
