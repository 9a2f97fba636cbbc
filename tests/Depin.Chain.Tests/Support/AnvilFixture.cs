using Nethereum.Signer;
namespace Depin.Chain.Tests.Support;

/// <summary>One anvil node for the integration tests, with the contracts compiled; stopped when the collection ends.</summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    private AnvilNode? _node;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri Endpoint => (_node ?? throw new InvalidOperationException("anvil is not started.")).Endpoint;

    /// <summary>anvil account 0, signing locally.</summary>
    public EthECKey Deployer { get; } = new EthECKey(AnvilNode.DefaultPrivateKeys[0]);

    /// <summary>anvil account 1, the provider whose wallet claims.</summary>
    public EthECKey Provider { get; } = new EthECKey(AnvilNode.DefaultPrivateKeys[1]);

    public ChainClient ClientFor(EthECKey key, ChainClientOptions? options = null) => new(Endpoint, key, options);

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
    public async Task<EthECKey> FundedKeyAsync()
    {
        EthECKey key = EthECKey.GenerateKey();
        await ClientFor(Deployer).TransferAsync(key.Address, System.Numerics.BigInteger.Pow(10, 19));
        return key;
    }
}

[CollectionDefinition(Name)]
public sealed class AnvilCollection : ICollectionFixture<AnvilFixture>
{
    public const string Name = "anvil";
}
