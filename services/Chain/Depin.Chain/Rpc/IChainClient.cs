using System.Numerics;

namespace Depin.Chain;

/// <summary>
/// What services need from a chain: deploy, transact, read and follow logs as one sender.
/// <see cref="JsonRpcChainClient"/> implements it over raw JSON-RPC; another library (e.g. Nethereum) could too.
/// </summary>
public interface IChainClient
{
    /// <summary>The account that pays for and signs (or, unlocked, has the node sign) every transaction.</summary>
    Address Sender { get; }

    Task<ulong> GetChainIdAsync(CancellationToken cancellationToken = default);

    Task<BigInteger> GetBalanceAsync(Address account, CancellationToken cancellationToken = default);

    /// <summary>Deploys creation bytecode ‖ ABI-encoded constructor arguments and waits for the receipt with the contract address.</summary>
    Task<TransactionReceipt> DeployContractAsync(ReadOnlyMemory<byte> bytecode, ReadOnlyMemory<byte> constructorArguments, CancellationToken cancellationToken = default);

    /// <summary>Sends a transaction and waits for it; a revert throws <see cref="JsonRpcException"/> (at estimation) or <see cref="TransactionFailedException"/>.</summary>
    Task<TransactionReceipt> SendTransactionAsync(Address to, ReadOnlyMemory<byte> data, BigInteger value = default, CancellationToken cancellationToken = default);

    /// <summary>Sends a transaction without waiting; returns its hash.</summary>
    Task<Hash32> SubmitTransactionAsync(Address? to, ReadOnlyMemory<byte> data, BigInteger value = default, CancellationToken cancellationToken = default);

    Task<TransactionReceipt> WaitForReceiptAsync(Hash32 transactionHash, CancellationToken cancellationToken = default);

    /// <summary>eth_call against the latest block from <see cref="Sender"/>; returns the raw return data.</summary>
    Task<byte[]> CallAsync(Address to, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default);
}
