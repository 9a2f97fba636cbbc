using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Jobs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Storage;

/// <summary>All accounts and job records (each in slot order) after the block at <see cref="Height"/>.</summary>
public sealed record Snapshot(long Height, Hash256 BlockHash, Hash256 StateRoot, AccountId[] Ids, AccountState[] States, TxId[] JobIds, JobRecord[] Jobs)
{
    public int Count => Ids.Length;
}
