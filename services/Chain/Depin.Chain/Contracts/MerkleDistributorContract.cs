using System.Numerics;

namespace Depin.Chain;

/// <summary>A Claimed event: <paramref name="Amount"/> minted to <paramref name="Account"/> for <paramref name="Epoch"/>.</summary>
public sealed record ClaimedEvent(ulong Epoch, Address Account, BigInteger Amount, Hash32 TransactionHash);

/// <summary>Typed calls to MerkleDistributor.sol: one payout root per epoch, one claim per (epoch, account).</summary>
public sealed class MerkleDistributorContract(IChainClient client, Address address)
{
    public const string ClaimSignature = "claim(uint256,address,uint256,bytes32[])";

    public static readonly Hash32 RootSetTopic = Abi.EventTopic("RootSet(uint256,bytes32)");

    public static readonly Hash32 ClaimedTopic = Abi.EventTopic("Claimed(uint256,address,uint256)");

    public Address Address { get; } = address;

    /// <summary>Deploys the distributor for <paramref name="token"/>; the token owner must then call setMinter(distributor, true).</summary>
    public static async Task<MerkleDistributorContract> DeployAsync(IChainClient client, Address token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ContractArtifact artifact = ContractArtifacts.Load(ContractArtifacts.MerkleDistributor);
        TransactionReceipt receipt = await client.DeployContractAsync(artifact.Bytecode, new AbiEncoder().Address(token).Encode(), cancellationToken).ConfigureAwait(false);
        return new MerkleDistributorContract(client, receipt.ContractAddress!.Value);
    }

    public MerkleDistributorContract As(IChainClient other) => new(other, Address);

    public Task<TransactionReceipt> SetRootAsync(ulong epoch, Hash32 root, CancellationToken cancellationToken = default) =>
        client.SendTransactionAsync(Address, Abi.EncodeCall("setRoot(uint256,bytes32)", new AbiEncoder().Uint256(epoch).Bytes32(root)), BigInteger.Zero, cancellationToken);

    public Task<TransactionReceipt> ClaimAsync(ulong epoch, Address account, BigInteger amount, IReadOnlyList<Hash32> proof, CancellationToken cancellationToken = default) =>
        client.SendTransactionAsync(Address, EncodeClaim(epoch, account, amount, proof), BigInteger.Zero, cancellationToken);

    /// <summary>Claims <paramref name="account"/>'s payout with its proof from <paramref name="tree"/>.</summary>
    public Task<TransactionReceipt> ClaimAsync(PayoutMerkleTree tree, Address account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        Payout payout = tree.PayoutFor(account);
        return ClaimAsync(tree.Epoch, account, payout.Amount, tree.GetProof(account), cancellationToken);
    }

    public static byte[] EncodeClaim(ulong epoch, Address account, BigInteger amount, IReadOnlyList<Hash32> proof) =>
        Abi.EncodeCall(ClaimSignature, new AbiEncoder().Uint256(epoch).Address(account).Uint256(amount).Bytes32Array([.. proof]));

    public async Task<Hash32> RootOfAsync(ulong epoch, CancellationToken cancellationToken = default) =>
        (await Call("roots(uint256)", new AbiEncoder().Uint256(epoch), cancellationToken).ConfigureAwait(false)).Bytes32(0);

    public async Task<bool> IsClaimedAsync(ulong epoch, Address account, CancellationToken cancellationToken = default) =>
        (await Call("isClaimed(uint256,address)", new AbiEncoder().Uint256(epoch).Address(account), cancellationToken).ConfigureAwait(false)).Bool(0);

    public async Task<Address> TokenAsync(CancellationToken cancellationToken = default) =>
        (await Call("token()", new AbiEncoder(), cancellationToken).ConfigureAwait(false)).Address(0);

    /// <summary>Claimed events from <paramref name="fromBlock"/>, optionally for one epoch.</summary>
    public async Task<IReadOnlyList<ClaimedEvent>> GetClaimsAsync(ulong? epoch = null, ulong fromBlock = 0, CancellationToken cancellationToken = default)
    {
        Hash32? epochTopic = epoch is { } e ? new Hash32(AbiEncoder.Word((UInt128)e)) : null;
        IReadOnlyList<LogEntry> logs = await client.GetLogsAsync(new LogFilter(Address, [ClaimedTopic, epochTopic]) { FromBlock = fromBlock }, cancellationToken).ConfigureAwait(false);
        var claims = new List<ClaimedEvent>(logs.Count);
        foreach (LogEntry log in logs)
        {
            ulong logEpoch = (ulong)new AbiDecoder(log.Topics[1].ToArray()).UInt128(0);
            claims.Add(new ClaimedEvent(logEpoch, Address.FromWord(log.Topics[2]), new AbiDecoder(log.Data).Uint256(0), log.TransactionHash));
        }

        return claims;
    }

    private async Task<AbiDecoder> Call(string signature, AbiEncoder arguments, CancellationToken cancellationToken) =>
        new(await client.CallAsync(Address, Abi.EncodeCall(signature, arguments), cancellationToken).ConfigureAwait(false));
}
