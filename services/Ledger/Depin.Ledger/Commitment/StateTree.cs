using System.Runtime.CompilerServices;
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
/// <param name="oneThread">Hash on the calling thread only, never on other cores (a sequential baseline).</param>
public sealed class StateTree(bool oneThread = false)
{
    private const int ParallelThreshold = 2048;

    /// <summary>Leaves or nodes of a level from which the executor's helpers share it, and how many each takes at a time.</summary>
    private const int HelperThreshold = 512;

    private const int HelperChunk = 128;

    private Hash256[][] _levels = [new Hash256[1]];

    public Hash256 Root => _levels[^1][0];

    public int Capacity => _levels[0].Length;

    private const int AccountLeafSize = 1 + AccountId.Size + AccountState.EncodedSize;

    private const int JobLeafSize = 1 + TxId.Size + JobRecord.EncodedSize;

    /// <summary>Writes a slot's leaf message to the first bytes of the buffer, or says the slot is empty (a zero leaf).</summary>
    private delegate bool LeafWriter(int slot, Span<byte> buffer);

    public static Hash256 LeafHash(AccountId id, in AccountState state)
    {
        Span<byte> buffer = stackalloc byte[AccountLeafSize];
        return WriteLeaf(id, state, buffer) ? Hash256.Compute(buffer) : Hash256.Zero;
    }

    public static Hash256 LeafHash(TxId job, in JobRecord record)
    {
        Span<byte> buffer = stackalloc byte[JobLeafSize];
        return WriteLeaf(job, record, buffer) ? Hash256.Compute(buffer) : Hash256.Zero;
    }

    private static bool WriteLeaf(AccountId id, in AccountState state, Span<byte> buffer)
    {
        if (state.IsEmpty)
        {
            return false;
        }

        buffer[0] = 0;
        id.WriteTo(buffer[1..]);
        state.WriteTo(buffer[(1 + AccountId.Size)..]);
        return true;
    }

    private static bool WriteLeaf(TxId job, in JobRecord record, Span<byte> buffer)
    {
        if (record.IsEmpty)
        {
            return false;
        }

        buffer[0] = 2;
        job.WriteTo(buffer[1..]);
        record.WriteTo(buffer[(1 + TxId.Size)..]);
        return true;
    }

    /// <summary>Recomputes the root after the given account slots changed (sorted ascending).</summary>
    public Hash256 Update(AccountStore store, int[] dirtySlots, WorkerGroup? helpers = null) =>
        Update(store.Count, AccountLeafSize, (slot, buffer) => WriteLeaf(store.IdAt(slot), store.StateAt(slot), buffer), dirtySlots, helpers);

    /// <summary>Recomputes the root after the given job record slots changed (sorted ascending).</summary>
    public Hash256 Update(JobStore jobs, int[] dirtySlots, WorkerGroup? helpers = null) =>
        Update(jobs.Count, JobLeafSize, (slot, buffer) => WriteLeaf(jobs.IdAt(slot), jobs.StateAt(slot), buffer), dirtySlots, helpers);

    /// <summary>Recomputes every node over the accounts; used at start-up and when the tree grows.</summary>
    public void Rebuild(AccountStore store) =>
        Rebuild(store.Count, AccountLeafSize, (slot, buffer) => WriteLeaf(store.IdAt(slot), store.StateAt(slot), buffer));

    /// <summary>Recomputes every node over the job records.</summary>
    public void Rebuild(JobStore jobs) =>
        Rebuild(jobs.Count, JobLeafSize, (slot, buffer) => WriteLeaf(jobs.IdAt(slot), jobs.StateAt(slot), buffer));

    private Hash256 Update(int count, int leafSize, LeafWriter leaf, int[] dirtySlots, WorkerGroup? helpers)
    {
        if (count > Capacity)
        {
            Grow(count);
        }

        var leaves = _levels[0];
        Ranges(dirtySlots.Length, (start, end) => HashLeaves(leaves, dirtySlots.AsSpan(start, end - start), leafSize, leaf), helpers);

        var current = dirtySlots;
        for (var level = 1; level < _levels.Length; level++)
        {
            var parents = Parents(current);
            var below = _levels[level - 1];
            var nodes = _levels[level];
            Ranges(parents.Length, (start, end) => MerkleNodes.Hash(below, nodes, parents.AsSpan(start, end - start)), helpers);
            current = parents;
        }

        return Root;
    }

    private void Rebuild(int count, int leafSize, LeafWriter leaf)
    {
        var capacity = CapacityFor(count);
        var levels = new List<Hash256[]>();
        var leaves = new Hash256[capacity];
        var slots = Enumerable.Range(0, count).ToArray();
        Ranges(count, (start, end) => HashLeaves(leaves, slots.AsSpan(start, end - start), leafSize, leaf));
        levels.Add(leaves);
        while (levels[^1].Length > 1)
        {
            var below = levels[^1];
            var nodes = new Hash256[below.Length / 2];
            Ranges(nodes.Length, (start, end) => MerkleNodes.Hash(below.AsSpan(2 * start, 2 * (end - start)), nodes.AsSpan(start, end - start)));
            levels.Add(nodes);
        }

        _levels = [.. levels];
    }

    /// <summary>
    /// Doubles the capacity until <paramref name="count"/> slots fit, without hashing the tree again: the old tree becomes
    /// the leftmost subtree, every new slot is empty (its leaf, if written, is among the dirty slots the update hashes
    /// next), and an empty subtree's hash depends only on its height. The nodes above the old root are hashed once each.
    /// Gives exactly what <see cref="Rebuild(int, int, LeafWriter)"/> gives; a full rebuild at each doubling cost a
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

    /// <summary>leaves[slot] for every listed slot: non-empty ones sixteen at a time where the CPU can.</summary>
    [SkipLocalsInit]
    private static unsafe void HashLeaves(Hash256[] leaves, ReadOnlySpan<int> slots, int leafSize, LeafWriter leaf)
    {
        var stride = Sha256x16.PaddedLength(leafSize);
        var lanes = stackalloc byte[Sha256x16.Lanes * stride];
        var laneSlots = stackalloc int[Sha256x16.Lanes];
        var digests = stackalloc Hash256[Sha256x16.Lanes];
        var batched = Sha256x16.Enabled && slots.Length >= Sha256x16.Lanes;
        var filled = 0;
        foreach (var slot in slots)
        {
            var message = new Span<byte>(lanes + filled * stride, leafSize);
            if (!leaf(slot, message))
            {
                leaves[slot] = Hash256.Zero;
                continue;
            }

            if (!batched)
            {
                leaves[slot] = Hash256.Compute(message);
                continue;
            }

            laneSlots[filled++] = slot;
            if (filled == Sha256x16.Lanes)
            {
                Sha256x16.Messages(lanes, stride, leafSize, digests);
                for (var lane = 0; lane < Sha256x16.Lanes; lane++)
                {
                    leaves[laneSlots[lane]] = digests[lane];
                }

                filled = 0;
            }
        }

        for (var lane = 0; lane < filled; lane++)
        {
            leaves[laneSlots[lane]] = Hash256.Compute(new ReadOnlySpan<byte>(lanes + lane * stride, leafSize));
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> over [0, count) in contiguous ranges: shared with the executor's helpers where they
    /// are given (they have just run the block and are awake), otherwise on every core when there are enough, or on the
    /// calling thread alone for a one-thread tree.
    /// </summary>
    private void Ranges(int count, Action<int, int> body, WorkerGroup? helpers = null)
    {
        if (oneThread)
        {
            body(0, count);
            return;
        }

        if (helpers is { Workers: > 1, IsDisposed: false } && count >= HelperThreshold)
        {
            var claimed = new StrongBox<int>();
            helpers.RunWithOptionalHelpers(_ =>
            {
                int start;
                while ((start = Interlocked.Add(ref claimed.Value, HelperChunk) - HelperChunk) < count)
                {
                    body(start, Math.Min(count, start + HelperChunk));
                }
            });
            return;
        }

        if (count < ParallelThreshold)
        {
            body(0, count);
            return;
        }

        var chunks = Environment.ProcessorCount * 4;
        Parallel.For(0, chunks, c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }
}
