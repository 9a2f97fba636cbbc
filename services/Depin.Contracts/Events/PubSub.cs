namespace Depin.Contracts.Events;

/// <summary>Dapr pub/sub component and topic names shared by every service.</summary>
public static class PubSub
{
    public const string Name = "depin-pubsub";
}

/// <summary>Topic names.</summary>
public static class Topics
{
    public const string BlockCommitted = "ledger.block-committed";
}

/// <summary>Published by the ledger after each durable block.</summary>
public sealed record BlockCommittedEvent(long Height, string Hash, string StateRoot, int TransactionCount, DateTimeOffset Timestamp);
