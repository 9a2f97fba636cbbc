namespace Depin.Ledger.Commitment;

/// <summary>Binary Merkle root over a list of leaf hashes; an odd node is paired with the zero hash.</summary>
public static class MerkleRoot
{
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
        Reduce(leaves, level);
        var count = level.Length;
        while (count > 1)
        {
            var next = (count + 1) / 2;
            Reduce(level.AsSpan(0, count), level.AsSpan(0, next));
            count = next;
        }

        return level[0];
    }

    private static void Reduce(ReadOnlySpan<Hash256> source, Span<Hash256> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            var left = source[2 * i];
            var right = 2 * i + 1 < source.Length ? source[2 * i + 1] : Hash256.Zero;
            destination[i] = Hash256.Node(left, right);
        }
    }
}
