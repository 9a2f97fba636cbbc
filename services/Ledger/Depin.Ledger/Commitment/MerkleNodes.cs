using System.Runtime.CompilerServices;

namespace Depin.Ledger.Commitment;

/// <summary>
/// Many Merkle nodes (<see cref="Hash256.Node"/>) hashed together: sixteen at a time in the lanes of AVX-512 registers
/// where the CPU has them (<see cref="Sha256x16"/>), one by one otherwise; the same hashes either way.
/// </summary>
public static unsafe class MerkleNodes
{
    /// <summary>
    /// parents[i] = Node(children[2i], children[2i + 1]); <paramref name="children"/> holds two per parent. The parents may
    /// overlap the children only where they start at or before them (a level reduced in place).
    /// </summary>
    [SkipLocalsInit]
    public static void Hash(ReadOnlySpan<Hash256> children, Span<Hash256> parents)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(children.Length, 2 * parents.Length, nameof(children));
        var done = 0;
        if (Sha256x16.Enabled && parents.Length >= Sha256x16.Lanes)
        {
            var words = stackalloc uint[16 * Sha256x16.Lanes];
            Span<int> batch = stackalloc int[Sha256x16.Lanes];
            fixed (Hash256* below = children)
            fixed (Hash256* nodes = parents)
            {
                for (; done + Sha256x16.Lanes <= parents.Length; done += Sha256x16.Lanes)
                {
                    for (var lane = 0; lane < Sha256x16.Lanes; lane++)
                    {
                        batch[lane] = done + lane;
                    }

                    Sixteen(words, below, nodes, batch);
                }
            }
        }

        for (var i = done; i < parents.Length; i++)
        {
            parents[i] = Hash256.Node(children[2 * i], children[2 * i + 1]);
        }
    }

    /// <summary>nodes[p] = Node(below[2p], below[2p + 1]) for every p in <paramref name="parents"/>.</summary>
    [SkipLocalsInit]
    public static void Hash(Hash256[] below, Hash256[] nodes, ReadOnlySpan<int> parents)
    {
        var done = 0;
        if (Sha256x16.Enabled && parents.Length >= Sha256x16.Lanes)
        {
            var words = stackalloc uint[16 * Sha256x16.Lanes];
            fixed (Hash256* children = below)
            fixed (Hash256* targets = nodes)
            {
                for (; done + Sha256x16.Lanes <= parents.Length; done += Sha256x16.Lanes)
                {
                    var batch = parents.Slice(done, Sha256x16.Lanes);
                    foreach (var p in batch)
                    {
                        CheckParent(below, nodes, p);
                    }

                    Sixteen(words, children, targets, batch);
                }
            }
        }

        foreach (var p in parents[done..])
        {
            CheckParent(below, nodes, p);
            nodes[p] = Hash256.Node(below[2 * p], below[2 * p + 1]);
        }
    }

    /// <summary>targets[p] = Node(below[2p], below[2p + 1]) for the sixteen parents of <paramref name="batch"/>; all read before any is written.</summary>
    private static void Sixteen(uint* words, Hash256* below, Hash256* targets, ReadOnlySpan<int> batch)
    {
        for (var lane = 0; lane < Sha256x16.Lanes; lane++)
        {
            Sha256x16.LoadBlock(words, lane, below + 2 * batch[lane]);
        }

        Sha256x16.Nodes(words, words);
        for (var lane = 0; lane < Sha256x16.Lanes; lane++)
        {
            Sha256x16.StoreDigest(words, lane, targets + batch[lane]);
        }
    }

    private static void CheckParent(Hash256[] below, Hash256[] nodes, int p)
    {
        if ((uint)p >= (uint)nodes.Length || 2L * p + 1 >= below.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A parent is outside the level.");
        }
    }
}
