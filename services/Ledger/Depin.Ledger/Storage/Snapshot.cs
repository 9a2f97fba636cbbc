using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Jobs;
using Depin.Ledger.Node;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Storage;

/// <summary>
/// The node after the block at <see cref="Height"/>: all accounts and job records (each in slot order, vacant slots
/// included), the retained blocks (the last one is the snapshot's own), the transaction-id index over them, and the job
/// indexes. Recovery loads it and replays only the log after the last block.
/// </summary>
internal sealed record Snapshot(
    long Height,
    Hash256 BlockHash,
    Hash256 StateRoot,
    AccountId[] Ids,
    AccountState[] States,
    TxId[] JobIds,
    JobRecord[] Jobs,
    CommittedBlock[] Blocks,
    (TxId Id, long Packed)[] Receipts,
    JobIndexSnapshot JobIndex)
{
    public int Count => Ids.Length;
}
