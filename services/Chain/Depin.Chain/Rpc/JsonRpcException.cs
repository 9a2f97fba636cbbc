namespace Depin.Chain;

/// <summary>An error object returned by an Ethereum node; <see cref="RevertReason"/> is decoded from Error(string) revert data.</summary>
public sealed class JsonRpcException : Exception
{
    public JsonRpcException(string method, int code, string message, string? data)
        : base(Describe(method, code, message, data))
    {
        Method = method;
        Code = code;
        NodeMessage = message;
        ErrorData = data;
        if (data is not null && Hex.TryDecode(data, out byte[]? bytes))
        {
            RevertData = bytes;
            RevertReason = Chain.Abi.DecodeRevertReason(bytes);
        }
    }

    public string Method { get; }

    public int Code { get; }

    /// <summary>The node's own message, e.g. "execution reverted: MerkleDistributor: already claimed".</summary>
    public string NodeMessage { get; }

    /// <summary>The error's data field as the node sent it (revert data is 0x-hex).</summary>
    public string? ErrorData { get; }

    public byte[]? RevertData { get; }

    /// <summary>The require/revert reason when the data carries Error(string) or Panic(uint256); otherwise null.</summary>
    public string? RevertReason { get; }

    private static string Describe(string method, int code, string message, string? data)
    {
        string? reason = data is not null && Hex.TryDecode(data, out byte[]? bytes) ? Chain.Abi.DecodeRevertReason(bytes) : null;
        return reason is null ? $"{method} failed ({code}): {message}" : $"{method} reverted ({code}): {reason}";
    }
}
