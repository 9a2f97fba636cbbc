using System.Numerics;
using Depin.Chain.Messages;

namespace Depin.Chain;

/// <summary>A Claimed event: <paramref name="Amount"/> minted to <paramref name="Account"/> for <paramref name="Epoch"/>.</summary>
public sealed record ClaimedEvent(ulong Epoch, Address Account, BigInteger Amount, Hash32 TransactionHash);

/// <summary>Typed calls to MerkleDistributor.sol: one payout root per epoch, one claim per (epoch, account).</summary>
public sealed class MerkleDistributorContract(IChainClient client, Address address)
{
    public Address Address { get; } = address;

    /// <summary>Deploys the distributor for <paramref name="token"/>; the token owner must then call setMinter(distributor, true).</summary>
    public static async Task<MerkleDistributorContract> DeployAsync(IChainClient client, Address token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        TransactionReceipt receipt = await client.DeployAsync(new MerkleDistributorDeployment { Token = token.ToString() }, cancellationToken).ConfigureAwait(false);
        return new MerkleDistributorContract(client, receipt.ContractAddress!.Value);
    }

    public MerkleDistributorContract As(IChainClient other) => new(other, Address);

    public Task<TransactionReceipt> SetRootAsync(ulong epoch, Hash32 root, CancellationToken cancellationToken = default) =>
        client.SendAsync(Address, new SetRootFunction { Epoch = epoch, Root = root.ToArray() }, cancellationToken);

    public Task<TransactionReceipt> ClaimAsync(ulong epoch, Address account, BigInteger amount, IReadOnlyList<Hash32> proof, CancellationToken cancellationToken = default) =>
        client.SendAsync(Address, Claim(epoch, account, amount, proof), cancellationToken);

    /// <summary>Claims <paramref name="account"/>'s payout with its proof from <paramref name="tree"/>.</summary>
    public Task<TransactionReceipt> ClaimAsync(PayoutMerkleTree tree, Address account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        Payout payout = tree.PayoutFor(account);
        return ClaimAsync(tree.Epoch, account, payout.Amount, tree.GetProof(account), cancellationToken);
    }

    /// <summary>The claim message, for a wallet that sends it itself.</summary>
    public static ClaimFunction Claim(ulong epoch, Address account, BigInteger amount, IReadOnlyList<Hash32> proof) => new()
    {
        Epoch = epoch,
        Account = account.ToString(),
        Amount = amount,
        Proof = [.. proof.Select(p => p.ToArray())],
    };

    public async Task<Hash32> RootOfAsync(ulong epoch, CancellationToken cancellationToken = default) =>
        new(await client.QueryAsync<EpochRootFunction, byte[]>(Address, new EpochRootFunction { Epoch = epoch }, cancellationToken).ConfigureAwait(false));

    public Task<bool> IsClaimedAsync(ulong epoch, Address account, CancellationToken cancellationToken = default) =>
        client.QueryAsync<IsClaimedFunction, bool>(Address, new IsClaimedFunction { Epoch = epoch, Account = account.ToString() }, cancellationToken);

    public async Task<Address> TokenAsync(CancellationToken cancellationToken = default) =>
        Address.Parse(await client.QueryAsync<TokenFunction, string>(Address, new TokenFunction(), cancellationToken).ConfigureAwait(false));

    /// <summary>Claimed events from <paramref name="fromBlock"/>, optionally for one epoch.</summary>
    public async Task<IReadOnlyList<ClaimedEvent>> GetClaimsAsync(ulong? epoch = null, ulong fromBlock = 0, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChainEvent<ClaimedEventDto>> events = await client.GetEventsAsync<ClaimedEventDto>(Address, fromBlock, topic1: epoch, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. events.Select(e => new ClaimedEvent((ulong)e.Event.Epoch, Address.Parse(e.Event.Account), e.Event.Amount, e.Log.TransactionHash))];
    }

    /// <summary>RootSet events from <paramref name="fromBlock"/>: (epoch, root).</summary>
    public async Task<IReadOnlyList<(ulong Epoch, Hash32 Root)>> GetRootsAsync(ulong fromBlock = 0, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChainEvent<RootSetEvent>> events = await client.GetEventsAsync<RootSetEvent>(Address, fromBlock, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. events.Select(e => ((ulong)e.Event.Epoch, new Hash32(e.Event.Root)))];
    }
}
