using System.Buffers;

namespace Depin.Ledger.Commitment;

/// <summary>Binary Merkle root over a list of leaf hashes; an odd node is paired with the zero hash.</summary>
public static class MerkleRoot
{
    /// <summary>Levels of at least this many nodes are hashed by every core, each taking a contiguous part.</summary>
    private const int ParallelLevel = 4096;

    public static Hash256 Compute(ReadOnlySpan<Hash256> leaves)
    {
        if (leaves.Length == 0)
        {
            return Hash256.Zero;
        }

        if (leaves.Length == 1)
        {
            return leaves[0];
        }

        var level = new Hash256[(leaves.Length + 1) / 2];
        Reduce(leaves, level, 0, level.Length);
        var count = level.Length;
        while (count > 1)
        {
            var next = (count + 1) / 2;
            Reduce(level.AsSpan(0, count), level.AsSpan(0, next), 0, next);
            count = next;
        }

        return level[0];
    }

    /// <summary>The root over the first <paramref name="count"/> leaves; large levels are hashed on every core (same root as <see cref="Compute(ReadOnlySpan{Hash256})"/>).</summary>
    public static Hash256 Compute(Hash256[] leaves, int count)
    {
        if (count < 2 * ParallelLevel || Environment.ProcessorCount == 1)
        {
            return Compute(leaves.AsSpan(0, count));
        }

        var upper = ArrayPool<Hash256>.Shared.Rent((count + 1) / 2);
        var lower = ArrayPool<Hash256>.Shared.Rent((count + 3) / 4);
        try
        {
            var (source, target) = (leaves, upper);
            while (count > 1)
            {
                var next = (count + 1) / 2;
                if (next >= ParallelLevel)
                {
                    ReduceParallel(source, count, target, next);
                }
                else
                {
                    Reduce(source.AsSpan(0, count), target.AsSpan(0, next), 0, next);
                }

                (source, target) = (target, ReferenceEquals(target, upper) ? lower : upper);
                count = next;
            }

            return source[0];
        }
        finally
        {
            ArrayPool<Hash256>.Shared.Return(upper);
            ArrayPool<Hash256>.Shared.Return(lower);
        }
    }

    /// <summary>
    /// The node <paramref name="levels"/> levels above <paramref name="leaves"/>, at most 64 of them: a chunk of a larger
    /// tree's leaves that starts at an index divisible by 2^<paramref name="levels"/>, whose nodes therefore pair among
    /// themselves on every level up to it (an odd last node with zero, as everywhere in the tree).
    /// </summary>
    internal static Hash256 Subtree(ReadOnlySpan<Hash256> leaves, int levels)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(leaves.Length, 64);
        Span<Hash256> level = stackalloc Hash256[32];
        var count = (leaves.Length + 1) / 2;
        Reduce(leaves, level, 0, count);
        for (var depth = 1; depth < levels; depth++)
        {
            var next = (count + 1) / 2;
            Reduce(level[..count], level, 0, next);
            count = next;
        }

        return level[0];
    }

    private static void ReduceParallel(Hash256[] source, int count, Hash256[] target, int next)
    {
        var parts = Environment.ProcessorCount;
        Parallel.For(0, parts, part => Reduce(source.AsSpan(0, count), target.AsSpan(0, next), (int)((long)next * part / parts), (int)((long)next * (part + 1) / parts)));
    }

    /// <summary>destination[i] for i in [start, end) from source[2i], source[2i + 1]; destination may be source itself.</summary>
    private static void Reduce(ReadOnlySpan<Hash256> source, Span<Hash256> destination, int start, int end)
    {
        var paired = Math.Min(end, source.Length / 2);
        if (paired > start)
        {
            MerkleNodes.Hash(source[(2 * start)..(2 * paired)], destination[start..paired]);
        }

        for (var i = Math.Max(start, paired); i < end; i++)
        {
            destination[i] = Hash256.Node(source[2 * i], Hash256.Zero);
        }
    }
}
