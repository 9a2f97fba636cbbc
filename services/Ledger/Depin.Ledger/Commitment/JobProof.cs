using Depin.Ledger.Jobs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Commitment;

/// <summary>An inclusion proof of a job record against a block's state root (see <see cref="LedgerStateTree"/>).</summary>
public sealed record JobProof(long Height, Hash256 StateRoot, TxId Job, JobRecord Record, long Index, Hash256[] Siblings)
{
    public bool Verify()
    {
        var node = StateTree.LeafHash(Job, Record);
        var index = Index;
        foreach (var sibling in Siblings)
        {
            node = (index & 1) == 0 ? Hash256.Node(node, sibling) : Hash256.Node(sibling, node);
            index >>= 1;
        }

        return index == 0 && node == StateRoot;
    }
}
