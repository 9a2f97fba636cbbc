using System.Numerics;
using Depin.Chain.Messages;

namespace Depin.Chain;

/// <summary>An Anchored event: the ledger's <paramref name="StateRoot"/> at <paramref name="Height"/>.</summary>
public sealed record AnchoredEvent(ulong Height, Hash32 StateRoot, ulong BlockNumber);

/// <summary>Typed calls to StateAnchor.sol: the owner records state roots at strictly increasing heights.</summary>
public sealed class StateAnchorContract(IChainClient client, Address address)
{
    public Address Address { get; } = address;

    public static async Task<StateAnchorContract> DeployAsync(IChainClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        TransactionReceipt receipt = await client.DeployAsync(new StateAnchorDeployment(), cancellationToken).ConfigureAwait(false);
        return new StateAnchorContract(client, receipt.ContractAddress!.Value);
    }

    public StateAnchorContract As(IChainClient other) => new(other, Address);

    public Task<TransactionReceipt> AnchorAsync(ulong height, Hash32 stateRoot, CancellationToken cancellationToken = default) =>
        client.SendAsync(Address, new AnchorFunction { Height = height, StateRoot = stateRoot.ToArray() }, cancellationToken);

    /// <summary>The root anchored at <paramref name="height"/>, or <see cref="Hash32.Zero"/>.</summary>
    public async Task<Hash32> RootAtAsync(ulong height, CancellationToken cancellationToken = default) =>
        new(await client.QueryAsync<HeightRootFunction, byte[]>(Address, new HeightRootFunction { Height = height }, cancellationToken).ConfigureAwait(false));

    public Task<ulong> LatestHeightAsync(CancellationToken cancellationToken = default) =>
        client.QueryAsync<LatestHeightFunction, ulong>(Address, new LatestHeightFunction(), cancellationToken);

    public async Task<ulong> AnchorCountAsync(CancellationToken cancellationToken = default) =>
        (ulong)await client.QueryAsync<AnchorCountFunction, BigInteger>(Address, new AnchorCountFunction(), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<AnchoredEvent>> GetAnchorsAsync(ulong fromBlock = 0, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChainEvent<AnchoredEventDto>> events = await client.GetEventsAsync<AnchoredEventDto>(Address, fromBlock, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. events.Select(e => new AnchoredEvent(e.Event.Height, new Hash32(e.Event.StateRoot), e.Log.BlockNumber))];
    }
}
