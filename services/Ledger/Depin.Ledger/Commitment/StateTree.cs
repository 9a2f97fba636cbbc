using Depin.Ledger.Accounts;
using Depin.Ledger.Execution;
using Depin.Ledger.Jobs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Commitment;

/// <summary>
/// A binary Merkle tree over the slots of one store (capacity a power of two). Account leaf = SHA-256(0x00 ‖ id ‖ state),
/// job record leaf = SHA-256(0x02 ‖ job id ‖ record), or the zero hash for an empty slot; inner nodes are
/// <see cref="Hash256.Node"/>. Updated incrementally per block. <see cref="LedgerStateTree"/> joins the two trees.
/// </summary>
public sealed class StateTree
{
    private const int ParallelThreshold = 2048;

    private Hash256[][] _levels = [new Hash256[1]];

    public Hash256 Root => _levels[^1][0];

    public int Capacity => _levels[0].Length;

    public static Hash256 LeafHash(AccountId id, in AccountState state)
    {
        if (state.IsEmpty)
        {
            return Hash256.Zero;
        }

        Span<byte> buffer = stackalloc byte[1 + AccountId.Size + AccountState.EncodedSize];
        buffer[0] = 0;
        id.WriteTo(buffer[1..]);
        state.WriteTo(buffer[(1 + AccountId.Size)..]);
        return Hash256.Compute(buffer);
    }

    public static Hash256 LeafHash(TxId job, in JobRecord record)
    {
        if (record.IsEmpty)
        {
            return Hash256.Zero;
        }

        Span<byte> buffer = stackalloc byte[1 + TxId.Size + JobRecord.EncodedSize];
        buffer[0] = 2;
        job.WriteTo(buffer[1..]);
        record.WriteTo(buffer[(1 + TxId.Size)..]);
        return Hash256.Compute(buffer);
    }

    /// <summary>Recomputes the root after the given account slots changed (sorted ascending).</summary>
    public Hash256 Update(AccountStore store, int[] dirtySlots) =>
        Update(store.Count, slot => LeafHash(store.IdAt(slot), store.StateAt(slot)), dirtySlots);

    /// <summary>Recomputes the root after the given job record slots changed (sorted ascending).</summary>
    public Hash256 Update(JobStore jobs, int[] dirtySlots) =>
        Update(jobs.Count, slot => LeafHash(jobs.IdAt(slot), jobs.StateAt(slot)), dirtySlots);

    /// <summary>Recomputes every node over the accounts; used at start-up and when the tree grows.</summary>
    public void Rebuild(AccountStore store) => Rebuild(store.Count, slot => LeafHash(store.IdAt(slot), store.StateAt(slot)));

    /// <summary>Recomputes every node over the job records.</summary>
    public void Rebuild(JobStore jobs) => Rebuild(jobs.Count, slot => LeafHash(jobs.IdAt(slot), jobs.StateAt(slot)));

    private Hash256 Update(int count, Func<int, Hash256> leaf, int[] dirtySlots)
    {
        if (count > Capacity)
        {
            Grow(count);
        }

        var leaves = _levels[0];
        Each(dirtySlots.Length, i =>
        {
            var slot = dirtySlots[i];
            leaves[slot] = leaf(slot);
        });

        var current = dirtySlots;
        for (var level = 1; level < _levels.Length; level++)
        {
            var parents = Parents(current);
            var below = _levels[level - 1];
            var nodes = _levels[level];
            Each(parents.Length, i =>
            {
                var p = parents[i];
                nodes[p] = Hash256.Node(below[2 * p], below[2 * p + 1]);
            });
            current = parents;
        }

        return Root;
    }

    private void Rebuild(int count, Func<int, Hash256> leaf)
    {
        var capacity = CapacityFor(count);
        var levels = new List<Hash256[]>();
        var leaves = new Hash256[capacity];
        Each(count, slot => leaves[slot] = leaf(slot));
        levels.Add(leaves);
        while (levels[^1].Length > 1)
        {
            var below = levels[^1];
            var nodes = new Hash256[below.Length / 2];
            Each(nodes.Length, p => nodes[p] = Hash256.Node(below[2 * p], below[2 * p + 1]));
            levels.Add(nodes);
        }

        _levels = [.. levels];
    }

    /// <summary>
    /// Doubles the capacity until <paramref name="count"/> slots fit, without hashing the tree again: the old tree becomes
    /// the leftmost subtree, every new slot is empty (its leaf, if written, is among the dirty slots the update hashes
    /// next), and an empty subtree's hash depends only on its height. The nodes above the old root are hashed once each.
    /// Gives exactly what <see cref="Rebuild(int, Func{int, Hash256})"/> gives; a full rebuild at each doubling cost a
    /// million-account node ~2,000,000 hashes in one block's commit.
    /// </summary>
    private void Grow(int count)
    {
        var levels = new List<Hash256[]>();
        var empty = Hash256.Zero;
        for (var width = CapacityFor(count); width >= 1; width /= 2)
        {
            var level = levels.Count;
            var nodes = new Hash256[width];
            var kept = level < _levels.Length ? _levels[level].Length : 0;
            nodes.AsSpan(kept).Fill(empty);
            if (kept > 0)
            {
                _levels[level].CopyTo(nodes, 0);
            }
            else
            {
                nodes[0] = Hash256.Node(levels[^1][0], levels[^1][1]);
            }

            levels.Add(nodes);
            empty = Hash256.Node(empty, empty);
        }

        _levels = [.. levels];
    }

    /// <summary>Leaves of a tree over <paramref name="count"/> slots: the next power of two (at least one).</summary>
    private static int CapacityFor(int count) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(count, 1));

    /// <summary>The sibling path from a slot's leaf to the root.</summary>
    public Hash256[] Siblings(int slot)
    {
        var siblings = new Hash256[_levels.Length - 1];
        var index = slot;
        for (var level = 0; level < siblings.Length; level++)
        {
            siblings[level] = _levels[level][index ^ 1];
            index >>= 1;
        }

        return siblings;
    }

    private static int[] Parents(int[] children)
    {
        var parents = new int[children.Length];
        var count = 0;
        var last = -1;
        foreach (var child in children)
        {
            var parent = child >> 1;
            if (parent != last)
            {
                parents[count++] = parent;
                last = parent;
            }
        }

        Array.Resize(ref parents, count);
        return parents;
    }

    private static void Each(int count, Action<int> body)
    {
        if (count < ParallelThreshold)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        var chunks = Environment.ProcessorCount * 4;
        Parallel.For(0, chunks, c =>
        {
            var start = (int)((long)count * c / chunks);
            var end = (int)((long)count * (c + 1) / chunks);
            for (var i = start; i < end; i++)
            {
                body(i);
            }
        });
    }
}
