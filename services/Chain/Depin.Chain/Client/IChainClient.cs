using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Web3;

namespace Depin.Chain;

/// <summary>
/// What services need from a chain, as one sender: deploy, transact and query typed contract messages, read blocks and
/// follow logs. <see cref="ChainClient"/> implements it on Nethereum.
/// </summary>
public interface IChainClient
{
    /// <summary>The account that signs and pays for every transaction.</summary>
    Address Sender { get; }

    /// <summary>The Nethereum client underneath, for what this seam does not cover.</summary>
    IWeb3 Web3 { get; }

    Task<ulong> GetChainIdAsync(CancellationToken cancellationToken = default);

    Task<ulong> GetBlockNumberAsync(CancellationToken cancellationToken = default);

    /// <summary>The header of block <paramref name="number"/>, or null when the chain is not that long.</summary>
    Task<BlockHeader?> GetBlockAsync(ulong number, CancellationToken cancellationToken = default);

    Task<BigInteger> GetBalanceAsync(Address account, CancellationToken cancellationToken = default);

    /// <summary>Sends <paramref name="wei"/> of the native currency and waits for it.</summary>
    Task<TransactionReceipt> TransferAsync(Address to, BigInteger wei, CancellationToken cancellationToken = default);

    /// <summary>Deploys a contract and waits for the receipt with its address.</summary>
    Task<TransactionReceipt> DeployAsync<TDeployment>(TDeployment deployment, CancellationToken cancellationToken = default)
        where TDeployment : ContractDeploymentMessage, new();

    /// <summary>
    /// Sends a function call and waits for it. A revert found at gas estimation throws <see cref="ContractRevertedException"/>
    /// with the reason; a transaction the node refuses outright (the sender cannot pay its gas) <see cref="TransactionRefusedException"/>;
    /// a revert found in the mined receipt <see cref="TransactionFailedException"/>.
    /// </summary>
    Task<TransactionReceipt> SendAsync<TFunction>(Address contract, TFunction function, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new();

    /// <summary>eth_call of a function returning one value, against the latest block.</summary>
    Task<TOutput> QueryAsync<TFunction, TOutput>(Address contract, TFunction function, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new();

    /// <summary>Decoded events of <typeparamref name="TEvent"/> from <paramref name="contract"/>, with optional indexed-topic filters.</summary>
    Task<IReadOnlyList<ChainEvent<TEvent>>> GetEventsAsync<TEvent>(Address contract, ulong fromBlock, ulong? toBlock = null, object? topic1 = null, object? topic2 = null, CancellationToken cancellationToken = default)
        where TEvent : IEventDTO, new();

    Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default);
}
