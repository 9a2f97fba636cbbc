using System.Numerics;

namespace Depin.Chain;

/// <summary>Typed calls to RewardToken.sol: a minimal ERC-20 whose owner and appointed minters mint.</summary>
public sealed class RewardTokenContract(IChainClient client, Address address)
{
    public static readonly Hash32 TransferTopic = Abi.EventTopic("Transfer(address,address,uint256)");

    public Address Address { get; } = address;

    public static async Task<RewardTokenContract> DeployAsync(IChainClient client, string name, string symbol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ContractArtifact artifact = ContractArtifacts.Load(ContractArtifacts.RewardToken);
        TransactionReceipt receipt = await client.DeployContractAsync(artifact.Bytecode, new AbiEncoder().String(name).String(symbol).Encode(), cancellationToken).ConfigureAwait(false);
        return new RewardTokenContract(client, receipt.ContractAddress!.Value);
    }

    /// <summary>The same contract, sending as another client's account.</summary>
    public RewardTokenContract As(IChainClient other) => new(other, Address);

    public Task<TransactionReceipt> MintAsync(Address to, BigInteger amount, CancellationToken cancellationToken = default) =>
        Send("mint(address,uint256)", new AbiEncoder().Address(to).Uint256(amount), cancellationToken);

    public Task<TransactionReceipt> SetMinterAsync(Address minter, bool allowed, CancellationToken cancellationToken = default) =>
        Send("setMinter(address,bool)", new AbiEncoder().Address(minter).Bool(allowed), cancellationToken);

    public Task<TransactionReceipt> TransferAsync(Address to, BigInteger amount, CancellationToken cancellationToken = default) =>
        Send("transfer(address,uint256)", new AbiEncoder().Address(to).Uint256(amount), cancellationToken);

    public async Task<BigInteger> BalanceOfAsync(Address account, CancellationToken cancellationToken = default) =>
        (await Call("balanceOf(address)", new AbiEncoder().Address(account), cancellationToken).ConfigureAwait(false)).Uint256(0);

    public async Task<BigInteger> TotalSupplyAsync(CancellationToken cancellationToken = default) =>
        (await Call("totalSupply()", new AbiEncoder(), cancellationToken).ConfigureAwait(false)).Uint256(0);

    public async Task<bool> IsMinterAsync(Address account, CancellationToken cancellationToken = default) =>
        (await Call("isMinter(address)", new AbiEncoder().Address(account), cancellationToken).ConfigureAwait(false)).Bool(0);

    public async Task<Address> OwnerAsync(CancellationToken cancellationToken = default) =>
        (await Call("owner()", new AbiEncoder(), cancellationToken).ConfigureAwait(false)).Address(0);

    public async Task<string> NameAsync(CancellationToken cancellationToken = default) =>
        (await Call("name()", new AbiEncoder(), cancellationToken).ConfigureAwait(false)).String(0);

    public async Task<string> SymbolAsync(CancellationToken cancellationToken = default) =>
        (await Call("symbol()", new AbiEncoder(), cancellationToken).ConfigureAwait(false)).String(0);

    private Task<TransactionReceipt> Send(string signature, AbiEncoder arguments, CancellationToken cancellationToken) =>
        client.SendTransactionAsync(Address, Abi.EncodeCall(signature, arguments), BigInteger.Zero, cancellationToken);

    private async Task<AbiDecoder> Call(string signature, AbiEncoder arguments, CancellationToken cancellationToken) =>
        new(await client.CallAsync(Address, Abi.EncodeCall(signature, arguments), cancellationToken).ConfigureAwait(false));
}
