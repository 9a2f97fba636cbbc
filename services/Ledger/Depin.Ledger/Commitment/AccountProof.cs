using Depin.Ledger.Accounts;

namespace Depin.Ledger.Commitment;

/// <summary>An inclusion proof: the account's state at a height, its slot, and the sibling path to the block's state root.</summary>
public sealed record AccountProof(long Height, Hash256 StateRoot, AccountId Account, AccountState State, int Slot, Hash256[] Siblings)
{
    /// <summary>Recomputes the root from the leaf and the path and compares it with <see cref="StateRoot"/>.</summary>
    public bool Verify()
    {
        var node = StateTree.LeafHash(Account, State);
        var index = Slot;
        foreach (var sibling in Siblings)
        {
            node = (index & 1) == 0 ? Hash256.Node(node, sibling) : Hash256.Node(sibling, node);
            index >>= 1;
        }

        return index == 0 && node == StateRoot;
    }
}
