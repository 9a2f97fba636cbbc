using Depin.Ledger.Accounts;

namespace Depin.Ledger.Commitment;

/// <summary>An inclusion proof: the account's state at a height, its slot, and the sibling path to the block's state root.</summary>
public sealed record AccountProof(long Height, Hash256 StateRoot, AccountId Account, AccountState State, int Slot, Hash256[] Siblings)
{
    /// <summary>Recomputes the root from the leaf and the path and compares it with <see cref="StateRoot"/>.</summary>
    public bool Verify() => MerklePath.Verify(StateTree.LeafHash(Account, State), Slot, Siblings, StateRoot);
}
