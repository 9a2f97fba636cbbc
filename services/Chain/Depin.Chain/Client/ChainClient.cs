using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.RPC.TransactionReceipts;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using NethereumReceipt = Nethereum.RPC.Eth.DTOs.TransactionReceipt;

namespace Depin.Chain;

/// <summary>
/// <see cref="IChainClient"/> on Nethereum: an <see cref="Account"/> signs EIP-1559 transactions locally, typed contract
/// handlers estimate gas, and receipts are polled with a deadline. Submissions from one client are serialised so the
/// nonce sequence has no gaps; a submission the node refuses resets the nonce.
/// </summary>
public sealed class ChainClient : IChainClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly Account _account;
    private readonly ChainClientOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    public ChainClient(Uri endpoint, EthECKey signer, ChainClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(signer);
        NethereumDefaults.Apply();
        _options = options ?? new ChainClientOptions();
        _http = new HttpClient { Timeout = _options.RequestTimeout };
        Endpoint = endpoint;
        _account = new Account(signer, (BigInteger?)null);
        var web3 = new Web3(_account, new RpcClient(endpoint, _http, null, null, null));
        web3.TransactionManager.TransactionReceiptService =
            new TransactionReceiptPollingService(web3.TransactionManager, (int)_options.ReceiptPollInterval.TotalMilliseconds);
        Web3 = web3;
        Sender = Address.Parse(_account.Address);
    }

    /// <summary>Signs with the private key in <paramref name="privateKeyHex"/> (0x optional).</summary>
    public ChainClient(Uri endpoint, string privateKeyHex, ChainClientOptions? options = null)
        : this(endpoint, new EthECKey(privateKeyHex), options)
    {
    }

    public Uri Endpoint { get; }

    public Address Sender { get; }

    public IWeb3 Web3 { get; }

    public async Task<ulong> GetChainIdAsync(CancellationToken cancellationToken = default) =>
        (ulong)(await Web3.Eth.ChainId.SendRequestAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).Value;

    public async Task<ulong> GetBlockNumberAsync(CancellationToken cancellationToken = default) =>
        (ulong)(await Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).Value;

    public async Task<BlockHeader?> GetBlockAsync(ulong number, CancellationToken cancellationToken = default)
    {
        BlockWithTransactionHashes? block = await Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber
            .SendRequestAsync(new BlockParameter(number)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return block is null
            ? null
            : new BlockHeader(
                (ulong)block.Number.Value,
                Hash32.Parse(block.BlockHash),
                Hash32.Parse(block.ParentHash),
                DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value));
    }

    public async Task<BigInteger> GetBalanceAsync(Address account, CancellationToken cancellationToken = default) =>
        (await Web3.Eth.GetBalance.SendRequestAsync(account.ToString()).WaitAsync(cancellationToken).ConfigureAwait(false)).Value;

    public Task<TransactionReceipt> TransferAsync(Address to, BigInteger wei, CancellationToken cancellationToken = default) =>
        SubmitAndWaitAsync(
            async () =>
            {
                var input = new TransactionInput { From = _account.Address, To = to.ToString(), Value = new HexBigInteger(wei) };
                input.Gas = await Web3.TransactionManager.EstimateGasAsync(input).ConfigureAwait(false);
                return await Web3.TransactionManager.SendTransactionAsync(input).ConfigureAwait(false);
            },
            cancellationToken);

    public async Task<TransactionReceipt> DeployAsync<TDeployment>(TDeployment deployment, CancellationToken cancellationToken = default)
        where TDeployment : ContractDeploymentMessage, new()
    {
        ArgumentNullException.ThrowIfNull(deployment);
        Fresh(deployment);
        TransactionReceipt receipt = await SubmitAndWaitAsync(
            () => Web3.Eth.GetContractDeploymentHandler<TDeployment>().SendRequestAsync(deployment),
            cancellationToken).ConfigureAwait(false);
        return receipt.ContractAddress is null
            ? throw new TransactionFailedException($"Deployment {receipt.TransactionHash} has no contract address.", receipt.TransactionHash, receipt)
            : receipt;
    }

    public Task<TransactionReceipt> SendAsync<TFunction>(Address contract, TFunction function, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new()
    {
        ArgumentNullException.ThrowIfNull(function);
        Fresh(function);
        return SubmitAndWaitAsync(
            () => Web3.Eth.GetContractTransactionHandler<TFunction>().SendRequestAsync(contract.ToString(), function),
            cancellationToken);
    }

    public Task<TOutput> QueryAsync<TFunction, TOutput>(Address contract, TFunction function, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new() =>
        Web3.Eth.GetContractQueryHandler<TFunction>().QueryAsync<TOutput>(contract.ToString(), function, null).WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<ChainEvent<TEvent>>> GetEventsAsync<TEvent>(
        Address contract, ulong fromBlock, ulong? toBlock = null, object? topic1 = null, object? topic2 = null, CancellationToken cancellationToken = default)
        where TEvent : IEventDTO, new()
    {
        Hash32 signature = Hash32.Parse(EventExtensions.GetEventABI<TEvent>().Sha3Signature);
        var filter = new LogFilter(contract, [signature, Topic(topic1), Topic(topic2)]) { FromBlock = fromBlock, ToBlock = toBlock };
        FilterLog[] logs = await GetFilterLogsAsync(filter, cancellationToken).ConfigureAwait(false);
        var events = new List<ChainEvent<TEvent>>(logs.Length);
        foreach (FilterLog log in logs)
        {
            events.Add(new ChainEvent<TEvent>(log.DecodeEvent<TEvent>().Event, ToLogEntry(log)));
        }

        return events;
    }

    public async Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default) =>
        [.. (await GetFilterLogsAsync(filter, cancellationToken).ConfigureAwait(false)).Select(ToLogEntry)];

    public void Dispose()
    {
        _http.Dispose();
        _sendLock.Dispose();
    }

    internal static LogEntry ToLogEntry(FilterLog log) => new(
        Address.Parse(log.Address),
        [.. log.Topics.Select(t => Hash32.Parse(t.ToString()!))],
        Hex.Decode(log.Data ?? "0x"),
        (ulong)log.BlockNumber.Value,
        log.BlockHash is null ? Hash32.Zero : Hash32.Parse(log.BlockHash),
        Hash32.Parse(log.TransactionHash),
        (ulong)log.LogIndex.Value,
        log.Removed);

    private static Hash32? Topic(object? value) => value switch
    {
        null => null,
        Hash32 hash => hash,
        Address address => address.ToWord(),
        ulong number => Hash32.FromNumber(number),
        long number when number >= 0 => Hash32.FromNumber((ulong)number),
        _ => throw new ArgumentException($"A topic filter is a Hash32, an Address or a non-negative integer, not {value.GetType().Name}.", nameof(value)),
    };

    /// <summary>A message object keeps the gas, fees and nonce of its last send; clear them so every send estimates anew.</summary>
    private static void Fresh(Nethereum.Contracts.CQS.ContractMessageBase message)
    {
        message.Gas = null;
        message.GasPrice = null;
        message.MaxFeePerGas = null;
        message.MaxPriorityFeePerGas = null;
        message.Nonce = null;
    }

    private async Task<FilterLog[]> GetFilterLogsAsync(LogFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var input = new NewFilterInput
        {
            FromBlock = new BlockParameter(filter.FromBlock),
            ToBlock = filter.ToBlock is { } to ? new BlockParameter(to) : BlockParameter.CreateLatest(),
            Address = filter.Address is { } address ? [address.ToString()] : null,
            Topics = [.. filter.Topics.Select(t => (object?)t?.ToString())],
        };
        return await Web3.Eth.Filters.GetLogs.SendRequestAsync(input).WaitAsync(cancellationToken).ConfigureAwait(false) ?? [];
    }

    private async Task<TransactionReceipt> SubmitAndWaitAsync(Func<Task<string>> submit, CancellationToken cancellationToken)
    {
        string hash;
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            hash = await submit().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await _account.NonceService.ResetNonceAsync().ConfigureAwait(false);
            if (AsRevert(e) is { } revert)
            {
                throw revert;
            }

            if (e is RpcResponseException { RpcError.Message: { } refusal })
            {
                throw new TransactionRefusedException(refusal, e);
            }

            throw;
        }
        finally
        {
            _sendLock.Release();
        }

        TransactionReceipt receipt = await WaitForReceiptAsync(Hash32.Parse(hash), cancellationToken).ConfigureAwait(false);
        if (receipt.Succeeded)
        {
            return receipt;
        }

        string? reason = null;
        try
        {
            reason = await Web3.Eth.GetContractTransactionErrorReason.SendRequestAsync(hash).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcResponseException or RpcClientUnknownException)
        {
        }

        throw new TransactionFailedException(
            string.IsNullOrEmpty(reason) ? $"Transaction {hash} reverted." : $"Transaction {hash} reverted: {reason}", receipt.TransactionHash, receipt);
    }

    private static ContractRevertedException? AsRevert(Exception e) => e switch
    {
        SmartContractRevertException revert => new ContractRevertedException(revert.RevertMessage, e),
        SmartContractCustomErrorRevertException custom => new ContractRevertedException(custom.Message, e),
        RpcResponseException rpc when rpc.RpcError?.Message is { } message && message.Contains("revert", StringComparison.OrdinalIgnoreCase) =>
            new ContractRevertedException(message.Split("reverted: ", 2) is [_, string reason] ? reason : null, e),
        _ => null,
    };

    /// <summary>Polls for the receipt of <paramref name="transactionHash"/> until <see cref="ChainClientOptions.ReceiptTimeout"/>.</summary>
    public async Task<TransactionReceipt> WaitForReceiptAsync(Hash32 transactionHash, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ReceiptTimeout);
        try
        {
            NethereumReceipt receipt = await Web3.TransactionManager.TransactionReceiptService
                .PollForReceiptAsync(transactionHash.ToString(), deadline.Token).ConfigureAwait(false);
            return ToReceipt(receipt);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransactionFailedException($"No receipt for {transactionHash} within {_options.ReceiptTimeout.TotalSeconds:0.#} s.", transactionHash);
        }
    }

    private static TransactionReceipt ToReceipt(NethereumReceipt r) => new(
        Hash32.Parse(r.TransactionHash),
        (ulong)r.BlockNumber.Value,
        r.Status?.Value == BigInteger.One,
        (ulong)(r.GasUsed?.Value ?? 0),
        r.EffectiveGasPrice?.Value ?? BigInteger.Zero,
        Address.Parse(r.From),
        string.IsNullOrEmpty(r.To) ? null : Address.Parse(r.To),
        string.IsNullOrEmpty(r.ContractAddress) ? null : Address.Parse(r.ContractAddress),
        [.. (r.Logs ?? []).Select(ToLogEntry)]);
}
