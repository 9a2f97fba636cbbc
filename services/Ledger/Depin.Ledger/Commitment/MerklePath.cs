namespace Depin.Ledger.Commitment;

/// <summary>Folds a leaf up a sibling path: at each level the index's low bit says whether the node is the left (0) or right (1) child.</summary>
public static class MerklePath
{
    /// <summary>True when the path from <paramref name="leaf"/> at <paramref name="index"/> ends exactly at <paramref name="root"/>.</summary>
    public static bool Verify(Hash256 leaf, long index, Hash256[] siblings, Hash256 root)
    {
        var node = leaf;
        foreach (var sibling in siblings)
        {
            node = (index & 1) == 0 ? Hash256.Node(node, sibling) : Hash256.Node(sibling, node);
            index >>= 1;
        }

        return index == 0 && node == root;
    }
}
