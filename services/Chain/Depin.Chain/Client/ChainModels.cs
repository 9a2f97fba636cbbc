using System.Numerics;

namespace Depin.Chain;

/// <summary>A log emitted by a contract; <paramref name="Removed"/> is set when a reorg dropped the block it was in.</summary>
public sealed record LogEntry(
    Address Address,
    IReadOnlyList<Hash32> Topics,
    byte[] Data,
    ulong BlockNumber,
    Hash32 BlockHash,
    Hash32 TransactionHash,
    ulong LogIndex,
    bool Removed = false);

/// <summary>A decoded event with the log it came from.</summary>
public sealed record ChainEvent<TEvent>(TEvent Event, LogEntry Log);

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

/// <summary>An eth_getLogs filter: an optional contract, topic positions (null = any) and a block range (null = latest).</summary>
public sealed record LogFilter(Address? Address, IReadOnlyList<Hash32?> Topics)
{
    public ulong FromBlock { get; init; }

    public ulong? ToBlock { get; init; }
}

/// <summary>A block header's identity: the chain watcher keeps these to notice reorgs.</summary>
public sealed record BlockHeader(ulong Number, Hash32 Hash, Hash32 ParentHash, DateTimeOffset Timestamp);
