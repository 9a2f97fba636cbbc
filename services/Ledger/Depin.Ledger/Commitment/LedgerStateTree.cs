using Depin.Ledger.Execution;

namespace Depin.Ledger.Commitment;

/// <summary>
/// The ledger's state root: <see cref="Hash256.Node"/>(accounts root, job records root), so that one root commits to
/// both stores. An account's proof ends with the job records' root as its last sibling, a record's with the accounts'.
/// </summary>
/// <param name="oneThread">Both trees hashed on the calling thread only (a sequential baseline); otherwise on the
/// executor's helpers where given, or on every core for large levels.</param>
public sealed class LedgerStateTree(bool oneThread = false)
{
    private readonly StateTree _accounts = new(oneThread);
    private readonly StateTree _jobs = new(oneThread);

    public Hash256 Root => Hash256.Node(_accounts.Root, _jobs.Root);

    /// <summary>Folds both stores' changes since the last call into the root, with the executor's <paramref name="helpers"/> where given.</summary>
    public Hash256 Update(AccountStore store, WorkerGroup? helpers = null)
    {
        using var awake = helpers?.StayAwake();
        _accounts.Update(store, store.TakeDirty(), helpers);
        _jobs.Update(store.Jobs, store.Jobs.TakeDirty(), helpers);
        return Root;
    }

    /// <summary>Recomputes every node of both trees and clears both dirty sets.</summary>
    public void Rebuild(AccountStore store)
    {
        _accounts.Rebuild(store);
        _jobs.Rebuild(store.Jobs);
        store.TakeDirty();
        store.Jobs.TakeDirty();
    }

    /// <summary>The siblings from an account's leaf (at index = its slot) to the state root.</summary>
    public Hash256[] AccountSiblings(int slot) => [.. _accounts.Siblings(slot), _jobs.Root];

    /// <summary>The path from a job record's leaf to the state root; the index puts the record tree on the right.</summary>
    public (long Index, Hash256[] Siblings) JobPath(int slot)
    {
        var siblings = _jobs.Siblings(slot);
        return (slot + (1L << siblings.Length), [.. siblings, _accounts.Root]);
    }
}
