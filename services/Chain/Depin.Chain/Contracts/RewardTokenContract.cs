using System.Numerics;
using Depin.Chain.Messages;

namespace Depin.Chain;

/// <summary>Typed calls to RewardToken.sol: a minimal ERC-20 whose owner and appointed minters mint.</summary>
public sealed class RewardTokenContract(IChainClient client, Address address)
{
    public Address Address { get; } = address;

    public IChainClient Client { get; } = client;

    public static async Task<RewardTokenContract> DeployAsync(IChainClient client, string name, string symbol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        TransactionReceipt receipt = await client.DeployAsync(new RewardTokenDeployment { Name = name, Symbol = symbol }, cancellationToken).ConfigureAwait(false);
        return new RewardTokenContract(client, receipt.ContractAddress!.Value);
    }

    /// <summary>The same contract, sending as another client's account.</summary>
    public RewardTokenContract As(IChainClient other) => new(other, Address);

    public Task<TransactionReceipt> MintAsync(Address to, BigInteger amount, CancellationToken cancellationToken = default) =>
        Client.SendAsync(Address, new MintFunction { To = to.ToString(), Amount = amount }, cancellationToken);

    public Task<TransactionReceipt> SetMinterAsync(Address minter, bool allowed, CancellationToken cancellationToken = default) =>
        Client.SendAsync(Address, new SetMinterFunction { Minter = minter.ToString(), Allowed = allowed }, cancellationToken);

    public Task<TransactionReceipt> TransferAsync(Address to, BigInteger amount, CancellationToken cancellationToken = default) =>
        Client.SendAsync(Address, new TransferFunction { To = to.ToString(), Amount = amount }, cancellationToken);

    public Task<TransactionReceipt> ApproveAsync(Address spender, BigInteger amount, CancellationToken cancellationToken = default) =>
        Client.SendAsync(Address, new ApproveFunction { Spender = spender.ToString(), Amount = amount }, cancellationToken);

    public Task<BigInteger> BalanceOfAsync(Address account, CancellationToken cancellationToken = default) =>
        Client.QueryAsync<BalanceOfFunction, BigInteger>(Address, new BalanceOfFunction { Account = account.ToString() }, cancellationToken);

    public Task<BigInteger> AllowanceAsync(Address owner, Address spender, CancellationToken cancellationToken = default) =>
        Client.QueryAsync<AllowanceFunction, BigInteger>(Address, new AllowanceFunction { Owner = owner.ToString(), Spender = spender.ToString() }, cancellationToken);

    public Task<BigInteger> TotalSupplyAsync(CancellationToken cancellationToken = default) =>
        Client.QueryAsync<TotalSupplyFunction, BigInteger>(Address, new TotalSupplyFunction(), cancellationToken);

    public Task<bool> IsMinterAsync(Address account, CancellationToken cancellationToken = default) =>
        Client.QueryAsync<IsMinterFunction, bool>(Address, new IsMinterFunction { Account = account.ToString() }, cancellationToken);

    public async Task<Address> OwnerAsync(CancellationToken cancellationToken = default) =>
        Address.Parse(await Client.QueryAsync<OwnerFunction, string>(Address, new OwnerFunction(), cancellationToken).ConfigureAwait(false));

    public Task<string> NameAsync(CancellationToken cancellationToken = default) =>
        Client.QueryAsync<NameFunction, string>(Address, new NameFunction(), cancellationToken);

    public Task<string> SymbolAsync(CancellationToken cancellationToken = default) =>
        Client.QueryAsync<SymbolFunction, string>(Address, new SymbolFunction(), cancellationToken);
}
