using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Depin.Chain;

/// <summary>A thin Ethereum JSON-RPC 2.0 client over HttpClient; node errors surface as <see cref="JsonRpcException"/>.</summary>
public sealed class EthJsonRpcClient(HttpClient http, Uri endpoint)
{
    private long _nextId;

    public Uri Endpoint { get; } = endpoint;

    /// <summary>Sends one request and returns a detached copy of its result.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonArray parameters, CancellationToken cancellationToken = default)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref _nextId),
            ["method"] = method,
            ["params"] = parameters,
        };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync(Endpoint, content, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            response.EnsureSuccessStatusCode();
            throw new JsonRpcException(method, (int)response.StatusCode, $"Response is not JSON: {body}", null);
        }

        using (doc)
        {
            if (doc.RootElement.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object)
            {
                int code = error.TryGetProperty("code", out JsonElement c) && c.TryGetInt32(out int value) ? value : 0;
                string message = error.TryGetProperty("message", out JsonElement m) ? m.GetString() ?? "" : "";
                string? data = error.TryGetProperty("data", out JsonElement d) ? DataText(d) : null;
                throw new JsonRpcException(method, code, message, data);
            }

            response.EnsureSuccessStatusCode();
            return doc.RootElement.TryGetProperty("result", out JsonElement result)
                ? result.Clone()
                : throw new JsonRpcException(method, 0, "Response has neither result nor error.", null);
        }
    }

    public async Task<ulong> GetChainIdAsync(CancellationToken cancellationToken = default) =>
        Quantity(await SendAsync("eth_chainId", [], cancellationToken).ConfigureAwait(false));

    public async Task<ulong> GetBlockNumberAsync(CancellationToken cancellationToken = default) =>
        Quantity(await SendAsync("eth_blockNumber", [], cancellationToken).ConfigureAwait(false));

    /// <summary>The next nonce of <paramref name="account"/>, counting pending transactions.</summary>
    public async Task<ulong> GetTransactionCountAsync(Address account, string block = "pending", CancellationToken cancellationToken = default) =>
        Quantity(await SendAsync("eth_getTransactionCount", [account.ToLowerHex(), block], cancellationToken).ConfigureAwait(false));

    public async Task<BigInteger> GetBalanceAsync(Address account, CancellationToken cancellationToken = default) =>
        BigQuantity(await SendAsync("eth_getBalance", [account.ToLowerHex(), "latest"], cancellationToken).ConfigureAwait(false));

    /// <summary>Legacy gas price in wei.</summary>
    public async Task<BigInteger> GetGasPriceAsync(CancellationToken cancellationToken = default) =>
        BigQuantity(await SendAsync("eth_gasPrice", [], cancellationToken).ConfigureAwait(false));

    /// <summary>Suggested EIP-1559 tip in wei.</summary>
    public async Task<BigInteger> GetMaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default) =>
        BigQuantity(await SendAsync("eth_maxPriorityFeePerGas", [], cancellationToken).ConfigureAwait(false));

    /// <summary>Base fee per gas (wei) of the latest block, from eth_feeHistory; the last entry is the next block's.</summary>
    public async Task<BigInteger> GetNextBaseFeeAsync(CancellationToken cancellationToken = default)
    {
        JsonElement history = await SendAsync("eth_feeHistory", ["0x1", "latest", new JsonArray()], cancellationToken).ConfigureAwait(false);
        JsonElement fees = history.GetProperty("baseFeePerGas");
        return BigQuantity(fees[fees.GetArrayLength() - 1]);
    }

    public async Task<IReadOnlyList<Address>> GetAccountsAsync(CancellationToken cancellationToken = default)
    {
        JsonElement result = await SendAsync("eth_accounts", [], cancellationToken).ConfigureAwait(false);
        return [.. result.EnumerateArray().Select(a => Address.Parse(a.GetString()!))];
    }

    public async Task<ulong> EstimateGasAsync(CallRequest request, CancellationToken cancellationToken = default) =>
        Quantity(await SendAsync("eth_estimateGas", [ToJson(request)], cancellationToken).ConfigureAwait(false));

    public async Task<byte[]> CallAsync(CallRequest request, string block = "latest", CancellationToken cancellationToken = default) =>
        Hex.Decode((await SendAsync("eth_call", [ToJson(request), block], cancellationToken).ConfigureAwait(false)).GetString()!);

    /// <summary>eth_sendTransaction: the node signs with an unlocked account (dev nodes such as anvil).</summary>
    public async Task<Hash32> SendTransactionAsync(CallRequest request, CancellationToken cancellationToken = default) =>
        Hash32.Parse((await SendAsync("eth_sendTransaction", [ToJson(request)], cancellationToken).ConfigureAwait(false)).GetString()!);

    public async Task<Hash32> SendRawTransactionAsync(ReadOnlyMemory<byte> rawTransaction, CancellationToken cancellationToken = default) =>
        Hash32.Parse((await SendAsync("eth_sendRawTransaction", [Hex.Encode(rawTransaction.Span)], cancellationToken).ConfigureAwait(false)).GetString()!);

    /// <summary>The receipt, or null while the transaction is pending or unknown.</summary>
    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(Hash32 transactionHash, CancellationToken cancellationToken = default)
    {
        JsonElement result = await SendAsync("eth_getTransactionReceipt", [transactionHash.ToString()], cancellationToken).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Null ? null : ParseReceipt(result);
    }

    /// <summary>Polls eth_getTransactionReceipt every <paramref name="pollInterval"/> until the receipt arrives or <paramref name="timeout"/> passes.</summary>
    public async Task<TransactionReceipt> WaitForReceiptAsync(Hash32 transactionHash, TimeSpan timeout, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                TransactionReceipt? receipt = await GetTransactionReceiptAsync(transactionHash, deadline.Token).ConfigureAwait(false);
                if (receipt is not null)
                {
                    return receipt;
                }

                await Task.Delay(pollInterval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransactionFailedException($"No receipt for {transactionHash} within {timeout.TotalSeconds:0.#} s.", transactionHash);
        }
    }

    public async Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var topics = new JsonArray();
        foreach (Hash32? topic in filter.Topics)
        {
            topics.Add(topic is { } t ? JsonValue.Create(t.ToString()) : null);
        }

        var query = new JsonObject
        {
            ["fromBlock"] = ToQuantity(filter.FromBlock),
            ["toBlock"] = filter.ToBlock is { } to ? ToQuantity(to) : "latest",
            ["topics"] = topics,
        };
        if (filter.Address is { } address)
        {
            query["address"] = address.ToLowerHex();
        }

        JsonElement result = await SendAsync("eth_getLogs", [query], cancellationToken).ConfigureAwait(false);
        return [.. result.EnumerateArray().Select(ParseLog)];
    }

    public static string ToQuantity(BigInteger value) =>
        value.Sign < 0 ? throw new ArgumentOutOfRangeException(nameof(value)) : "0x" + (value.IsZero ? "0" : value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0'));

    public static ulong Quantity(JsonElement element) => (ulong)BigQuantity(element);

    public static BigInteger BigQuantity(JsonElement element)
    {
        string text = element.GetString() ?? throw new FormatException("Quantity is null.");
        ReadOnlySpan<char> digits = text.AsSpan().StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.AsSpan(2) : text.AsSpan();
        return digits.IsEmpty ? BigInteger.Zero : BigInteger.Parse("0" + digits.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    private static JsonObject ToJson(CallRequest request)
    {
        var json = new JsonObject { ["data"] = Hex.Encode(request.Data) };
        if (request.To is { } to)
        {
            json["to"] = to.ToLowerHex();
        }

        if (request.From is { } from)
        {
            json["from"] = from.ToLowerHex();
        }

        if (request.Value is { } value)
        {
            json["value"] = ToQuantity(value);
        }

        if (request.Gas is { } gas)
        {
            json["gas"] = ToQuantity(gas);
        }

        return json;
    }

    private static string? DataText(JsonElement data) => data.ValueKind switch
    {
        JsonValueKind.String => data.GetString(),
        JsonValueKind.Object when data.TryGetProperty("data", out JsonElement inner) && inner.ValueKind == JsonValueKind.String => inner.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => data.GetRawText(),
    };

    private static Address? OptionalAddress(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? Address.Parse(value.GetString()!) : null;

    private static TransactionReceipt ParseReceipt(JsonElement r) => new(
        Hash32.Parse(r.GetProperty("transactionHash").GetString()!),
        Quantity(r.GetProperty("blockNumber")),
        Quantity(r.GetProperty("status")) == 1,
        Quantity(r.GetProperty("gasUsed")),
        r.TryGetProperty("effectiveGasPrice", out JsonElement price) ? BigQuantity(price) : BigInteger.Zero,
        Address.Parse(r.GetProperty("from").GetString()!),
        OptionalAddress(r, "to"),
        OptionalAddress(r, "contractAddress"),
        [.. r.GetProperty("logs").EnumerateArray().Select(ParseLog)]);

    private static LogEntry ParseLog(JsonElement log) => new(
        Address.Parse(log.GetProperty("address").GetString()!),
        [.. log.GetProperty("topics").EnumerateArray().Select(t => Hash32.Parse(t.GetString()!))],
        Hex.Decode(log.GetProperty("data").GetString()!),
        Quantity(log.GetProperty("blockNumber")),
        Hash32.Parse(log.GetProperty("transactionHash").GetString()!),
        Quantity(log.GetProperty("logIndex")));
}
