using Depin.Ledger.Jobs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Commitment;

/// <summary>An inclusion proof of a job record against a block's state root (see <see cref="LedgerStateTree"/>).</summary>
public sealed record JobProof(long Height, Hash256 StateRoot, TxId Job, JobRecord Record, long Index, Hash256[] Siblings)
{
    public bool Verify() => MerklePath.Verify(StateTree.LeafHash(Job, Record), Index, Siblings, StateRoot);
}
