namespace Depin.Chain.Tests.Support;

/// <summary>One anvil node for the integration tests, with the contracts compiled; stopped when the collection ends.</summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    private AnvilNode? _node;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri Endpoint => (_node ?? throw new InvalidOperationException("anvil is not started.")).Endpoint;

    public EthJsonRpcClient Rpc => new(Http, Endpoint);

    /// <summary>anvil account 0, signing locally.</summary>
    public EthKey Deployer { get; } = EthKey.FromHex(AnvilNode.DefaultPrivateKeys[0]);

    /// <summary>anvil account 1, the provider whose wallet claims.</summary>
    public EthKey Provider { get; } = EthKey.FromHex(AnvilNode.DefaultPrivateKeys[1]);

    public JsonRpcChainClient ClientFor(EthKey key) => new(Rpc, key);

    public async Task InitializeAsync()
    {
        Toolchain.EnsureContractsCompiled();
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

    /// <summary>A fresh key funded with 10 ETH from account 0.</summary>
    public async Task<EthKey> FundedKeyAsync()
    {
        EthKey key = EthKey.Generate();
        await ClientFor(Deployer).SendTransactionAsync(key.Address, ReadOnlyMemory<byte>.Empty, System.Numerics.BigInteger.Pow(10, 19));
        return key;
    }
}

[CollectionDefinition(Name)]
public sealed class AnvilCollection : ICollectionFixture<AnvilFixture>
{
    public const string Name = "anvil";
}
