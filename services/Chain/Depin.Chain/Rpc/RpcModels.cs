using System.Numerics;

namespace Depin.Chain;

/// <summary>The fields of eth_call / eth_estimateGas / eth_sendTransaction; null fields are omitted.</summary>
public sealed record CallRequest(Address? To, byte[] Data)
{
    public Address? From { get; init; }

    public BigInteger? Value { get; init; }

    public ulong? Gas { get; init; }
}

/// <summary>A log emitted by a contract, as eth_getLogs and receipts return it.</summary>
public sealed record LogEntry(Address Address, IReadOnlyList<Hash32> Topics, byte[] Data, ulong BlockNumber, Hash32 TransactionHash, ulong LogIndex);

/// <summary>The outcome of a mined transaction.</summary>
public sealed record TransactionReceipt(
    Hash32 TransactionHash,
    ulong BlockNumber,
    bool Succeeded,
    ulong GasUsed,
    BigInteger EffectiveGasPrice,
    Address From,
    Address? To,
    Address? ContractAddress,
    IReadOnlyList<LogEntry> Logs);

/// <summary>eth_getLogs filter: an optional contract, topic positions (null = any) and a block range (null = latest).</summary>
public sealed record LogFilter(Address? Address, IReadOnlyList<Hash32?> Topics)
{
    public ulong FromBlock { get; init; }

    public ulong? ToBlock { get; init; }
}
