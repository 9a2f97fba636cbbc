using Depin.Ledger.Commitment;

namespace Depin.Ledger.Tests.Commitment;

public sealed class MerkleRootTests
{
    [Theory]
    [InlineData(8_191)]
    [InlineData(8_192)]
    [InlineData(8_193)]
    [InlineData(20_001)]
    public void Hashing_large_levels_on_every_core_gives_the_sequential_root(int count)
    {
        var random = new Random(count);
        var leaves = new Hash256[count + 7];
        var bytes = new byte[Hash256.Size];
        for (var i = 0; i < leaves.Length; i++)
        {
            random.NextBytes(bytes);
            leaves[i] = Hash256.ReadFrom(bytes);
        }

        Assert.Equal(Sequential(leaves.AsSpan(0, count)), MerkleRoot.Compute(leaves, count));
        Assert.Equal(Sequential(leaves.AsSpan(0, count)), MerkleRoot.Compute(leaves.AsSpan(0, count)));
    }

    /// <summary>The definition, level by level: pairs hashed, an odd last node paired with zero.</summary>
    private static Hash256 Sequential(ReadOnlySpan<Hash256> leaves)
    {
        var level = leaves.ToArray();
        while (level.Length > 1)
        {
            var next = new Hash256[(level.Length + 1) / 2];
            for (var i = 0; i < next.Length; i++)
            {
                next[i] = Hash256.Node(level[2 * i], 2 * i + 1 < level.Length ? level[2 * i + 1] : Hash256.Zero);
            }

            level = next;
        }

        return level[0];
    }
}
