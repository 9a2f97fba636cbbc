using System.Numerics;

namespace Depin.Chain;

/// <summary>An Anchored event: the ledger's <paramref name="StateRoot"/> at <paramref name="Height"/>.</summary>
public sealed record AnchoredEvent(ulong Height, Hash32 StateRoot, ulong BlockNumber);

/// <summary>Typed calls to StateAnchor.sol: the owner records state roots at strictly increasing heights.</summary>
public sealed class StateAnchorContract(IChainClient client, Address address)
{
    public static readonly Hash32 AnchoredTopic = Abi.EventTopic("Anchored(uint64,bytes32)");

    public Address Address { get; } = address;

    public static async Task<StateAnchorContract> DeployAsync(IChainClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ContractArtifact artifact = ContractArtifacts.Load(ContractArtifacts.StateAnchor);
        TransactionReceipt receipt = await client.DeployContractAsync(artifact.Bytecode, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        return new StateAnchorContract(client, receipt.ContractAddress!.Value);
    }

    public StateAnchorContract As(IChainClient other) => new(other, Address);

    public Task<TransactionReceipt> AnchorAsync(ulong height, Hash32 stateRoot, CancellationToken cancellationToken = default) =>
        client.SendTransactionAsync(Address, Abi.EncodeCall("anchor(uint64,bytes32)", new AbiEncoder().Uint256(height).Bytes32(stateRoot)), BigInteger.Zero, cancellationToken);

    /// <summary>The root anchored at <paramref name="height"/>, or <see cref="Hash32.Zero"/>.</summary>
    public async Task<Hash32> RootAtAsync(ulong height, CancellationToken cancellationToken = default) =>
        (await Call("roots(uint64)", new AbiEncoder().Uint256(height), cancellationToken).ConfigureAwait(false)).Bytes32(0);

    public async Task<ulong> LatestHeightAsync(CancellationToken cancellationToken = default) =>
        (await Call("latestHeight()", new AbiEncoder(), cancellationToken).ConfigureAwait(false)).UInt64(0);

    public async Task<ulong> AnchorCountAsync(CancellationToken cancellationToken = default) =>
        (await Call("anchorCount()", new AbiEncoder(), cancellationToken).ConfigureAwait(false)).UInt64(0);

    public async Task<IReadOnlyList<AnchoredEvent>> GetAnchorsAsync(ulong fromBlock = 0, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<LogEntry> logs = await client.GetLogsAsync(new LogFilter(Address, [AnchoredTopic]) { FromBlock = fromBlock }, cancellationToken).ConfigureAwait(false);
        var anchors = new List<AnchoredEvent>(logs.Count);
        foreach (LogEntry log in logs)
        {
            anchors.Add(new AnchoredEvent(new AbiDecoder(log.Topics[1].ToArray()).UInt64(0), new AbiDecoder(log.Data).Bytes32(0), log.BlockNumber));
        }

        return anchors;
    }

    private async Task<AbiDecoder> Call(string signature, AbiEncoder arguments, CancellationToken cancellationToken) =>
        new(await client.CallAsync(Address, Abi.EncodeCall(signature, arguments), cancellationToken).ConfigureAwait(false));
}
