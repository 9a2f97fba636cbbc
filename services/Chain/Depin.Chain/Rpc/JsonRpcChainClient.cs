using System.Numerics;

namespace Depin.Chain;

/// <summary>
/// <see cref="IChainClient"/> over <see cref="EthJsonRpcClient"/>. With an <see cref="EthKey"/> it signs EIP-1559
/// transactions locally and sends them raw; with only an address it relies on the node's unlocked account (eth_sendTransaction).
/// </summary>
public sealed class JsonRpcChainClient : IChainClient
{
    private readonly EthJsonRpcClient _rpc;
    private readonly EthKey? _key;
    private readonly ChainClientOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ulong? _chainId;

    /// <summary>Signs locally with <paramref name="signer"/>.</summary>
    public JsonRpcChainClient(EthJsonRpcClient rpc, EthKey signer, ChainClientOptions? options = null)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        _key = signer ?? throw new ArgumentNullException(nameof(signer));
        Sender = signer.Address;
        _options = options ?? new ChainClientOptions();
    }

    /// <summary>Uses an account the node holds unlocked (anvil's dev accounts).</summary>
    public JsonRpcChainClient(EthJsonRpcClient rpc, Address unlockedAccount, ChainClientOptions? options = null)
    {
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        Sender = unlockedAccount;
        _options = options ?? new ChainClientOptions();
    }

    public Address Sender { get; }

    public EthJsonRpcClient Rpc => _rpc;

    public bool SignsLocally => _key is not null;

    public async Task<ulong> GetChainIdAsync(CancellationToken cancellationToken = default) =>
        _chainId ??= await _rpc.GetChainIdAsync(cancellationToken).ConfigureAwait(false);

    public Task<BigInteger> GetBalanceAsync(Address account, CancellationToken cancellationToken = default) =>
        _rpc.GetBalanceAsync(account, cancellationToken);

    public async Task<TransactionReceipt> DeployContractAsync(ReadOnlyMemory<byte> bytecode, ReadOnlyMemory<byte> constructorArguments, CancellationToken cancellationToken = default)
    {
        byte[] data = [.. bytecode.Span, .. constructorArguments.Span];
        Hash32 hash = await SubmitTransactionAsync(null, data, BigInteger.Zero, cancellationToken).ConfigureAwait(false);
        TransactionReceipt receipt = await WaitForSuccessAsync(hash, cancellationToken).ConfigureAwait(false);
        return receipt.ContractAddress is null
            ? throw new TransactionFailedException($"Deployment {hash} has no contract address.", hash, receipt)
            : receipt;
    }

    public async Task<TransactionReceipt> SendTransactionAsync(Address to, ReadOnlyMemory<byte> data, BigInteger value = default, CancellationToken cancellationToken = default)
    {
        Hash32 hash = await SubmitTransactionAsync(to, data, value, cancellationToken).ConfigureAwait(false);
        return await WaitForSuccessAsync(hash, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Hash32> SubmitTransactionAsync(Address? to, ReadOnlyMemory<byte> data, BigInteger value = default, CancellationToken cancellationToken = default)
    {
        var request = new CallRequest(to, data.ToArray()) { From = Sender, Value = value };
        if (_key is null)
        {
            return await _rpc.SendTransactionAsync(request, cancellationToken).ConfigureAwait(false);
        }

        // One sender, one nonce sequence: serialize read-nonce, sign, send.
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ulong chainId = await GetChainIdAsync(cancellationToken).ConfigureAwait(false);
            ulong gas = await _rpc.EstimateGasAsync(request, cancellationToken).ConfigureAwait(false);
            ulong nonce = await _rpc.GetTransactionCountAsync(Sender, "pending", cancellationToken).ConfigureAwait(false);
            BigInteger tip = await _rpc.GetMaxPriorityFeePerGasAsync(cancellationToken).ConfigureAwait(false);
            BigInteger baseFee = await _rpc.GetNextBaseFeeAsync(cancellationToken).ConfigureAwait(false);
            var transaction = new Eip1559Transaction(
                chainId,
                nonce,
                tip,
                baseFee * _options.BaseFeeMultiplier + tip,
                gas * (ulong)_options.GasLimitPercent / 100,
                to,
                value,
                request.Data);
            return await _rpc.SendRawTransactionAsync(transaction.Sign(_key), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public Task<TransactionReceipt> WaitForReceiptAsync(Hash32 transactionHash, CancellationToken cancellationToken = default) =>
        _rpc.WaitForReceiptAsync(transactionHash, _options.ReceiptTimeout, _options.ReceiptPollInterval, cancellationToken);

    public Task<byte[]> CallAsync(Address to, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        _rpc.CallAsync(new CallRequest(to, data.ToArray()) { From = Sender }, "latest", cancellationToken);

    public Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default) =>
        _rpc.GetLogsAsync(filter, cancellationToken);

    private async Task<TransactionReceipt> WaitForSuccessAsync(Hash32 hash, CancellationToken cancellationToken)
    {
        TransactionReceipt receipt = await WaitForReceiptAsync(hash, cancellationToken).ConfigureAwait(false);
        return receipt.Succeeded ? receipt : throw new TransactionFailedException($"Transaction {hash} reverted.", hash, receipt);
    }
}
