using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;

namespace Depin.Ledger.Storage;

/// <summary>All accounts (in slot order) after the block at <see cref="Height"/>.</summary>
public sealed record Snapshot(long Height, Hash256 BlockHash, Hash256 StateRoot, AccountId[] Ids, AccountState[] States, int Count);
