using System.Security.Cryptography;
using Depin.Ledger.Commitment;

namespace Depin.Ledger.Tests.Commitment;

public sealed class MerkleNodesTests
{
    public static TheoryData<bool, int> Counts()
    {
        var data = new TheoryData<bool, int>();
        foreach (var vectorized in Sha256Lanes.Paths)
        {
            foreach (var count in new[] { 0, 1, 15, 16, 17, 31, 32, 33, 100, 1_000 })
            {
                data.Add(vectorized, count);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void A_level_of_pairs_hashes_to_the_nodes_of_SHA_256(bool vectorized, int count)
    {
        var children = RandomHashes(new Random(count), 2 * count);
        var parents = new Hash256[count];

        Sha256Lanes.With(vectorized, () => MerkleNodes.Hash(children, parents));

        for (var i = 0; i < count; i++)
        {
            Assert.Equal(Reference(children[2 * i], children[2 * i + 1]), parents[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void Listed_parents_are_hashed_and_no_other_node_is_touched(bool vectorized, int count)
    {
        var random = new Random(count + 7);
        var below = RandomHashes(random, 4_096);
        var nodes = RandomHashes(random, 2_048);
        var before = nodes.ToArray();
        var parents = Enumerable.Range(0, 2_048).OrderBy(_ => random.Next()).Take(count).Order().ToArray();

        Sha256Lanes.With(vectorized, () => MerkleNodes.Hash(below, nodes, parents));

        var listed = parents.ToHashSet();
        for (var p = 0; p < nodes.Length; p++)
        {
            Assert.Equal(listed.Contains(p) ? Reference(below[2 * p], below[2 * p + 1]) : before[p], nodes[p]);
        }
    }

    public static TheoryData<bool> Paths() => [.. Sha256Lanes.Paths];

    [Theory]
    [MemberData(nameof(Paths))]
    public void A_level_hashed_over_its_own_children_gives_the_root_of_separate_levels(bool vectorized)
    {
        var leaves = RandomHashes(new Random(3), 1_001);
        var expected = leaves;
        while (expected.Length > 1)
        {
            expected = [.. Enumerable.Range(0, (expected.Length + 1) / 2).Select(i => Reference(expected[2 * i], 2 * i + 1 < expected.Length ? expected[2 * i + 1] : Hash256.Zero))];
        }

        var root = default(Hash256);
        Sha256Lanes.With(vectorized, () => root = MerkleRoot.Compute(leaves));

        Assert.Equal(expected[0], root);
    }

    [Fact]
    public void A_parent_outside_the_level_is_refused()
    {
        var below = new Hash256[64];
        var nodes = new Hash256[32];
        var parents = Enumerable.Range(0, 15).Append(32).ToArray();

        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleNodes.Hash(below, nodes, parents));
    }

    private static Hash256 Reference(Hash256 left, Hash256 right)
    {
        var input = new byte[65];
        input[0] = 1;
        left.WriteTo(input.AsSpan(1));
        right.WriteTo(input.AsSpan(33));
        return Hash256.ReadFrom(SHA256.HashData(input));
    }

    private static Hash256[] RandomHashes(Random random, int count)
    {
        var bytes = new byte[Hash256.Size];
        var hashes = new Hash256[count];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            hashes[i] = Hash256.ReadFrom(bytes);
        }

        return hashes;
    }
}
