using Depin.Chain.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Depin.Chain.Tests.Merkle;

public class PayoutMerkleTreeTests
{
    private static List<Payout> RandomPayouts(int seed, int count)
    {
        var random = Random32.Seeded(seed);
        return [.. Enumerable.Range(0, count).Select(_ => new Payout(random.NextAddress(), random.NextUInt128()))];
    }

    [Fact]
    public void Leaf_is_keccak_of_keccak_of_the_abi_encoding_computed_by_cast()
    {
        var random = Random32.Seeded(70);
        var cases = Enumerable.Range(0, 25).Select(_ => (Epoch: (ulong)random.NextInt64(), Account: random.NextAddress(), Amount: random.NextUInt128())).ToList();

        string[] encoded = Cast.RunMany(cases, c => ["abi-encode", "f(uint256,address,uint256)", c.Epoch.ToString(), c.Account.ToString(), c.Amount.ToString()]);
        string[] inner = Cast.RunMany(encoded, e => ["keccak", e]);
        string[] leaves = Cast.RunMany(inner, h => ["keccak", h]);

        for (int i = 0; i < cases.Count; i++)
        {
            Assert.Equal(leaves[i], PayoutMerkleTree.Leaf(cases[i].Epoch, cases[i].Account, cases[i].Amount).ToString());
        }
    }

    [Fact]
    public void Single_payout_tree_has_the_leaf_as_root_and_an_empty_proof()
    {
        var payout = new Payout(Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), 42);

        var tree = new PayoutMerkleTree(3, [payout]);

        Assert.Equal(PayoutMerkleTree.Leaf(3, payout.Account, 42), tree.Root);
        Assert.Empty(tree.GetProof(0));
    }

    [Fact]
    public void Two_payout_root_is_the_sorted_pair_hash_of_the_leaves()
    {
        List<Payout> payouts = RandomPayouts(71, 2);
        Hash32 a = PayoutMerkleTree.Leaf(1, payouts[0].Account, payouts[0].Amount);
        Hash32 b = PayoutMerkleTree.Leaf(1, payouts[1].Account, payouts[1].Amount);
        Hash32 low = a.CompareTo(b) < 0 ? a : b;
        Hash32 high = a.CompareTo(b) < 0 ? b : a;

        var tree = new PayoutMerkleTree(1, payouts);

        Assert.Equal(Hash32.Keccak([.. low.Span, .. high.Span]), tree.Root);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(33)]
    [InlineData(1025)]
    [InlineData(40_000)]
    public void Every_proof_verifies_against_the_root_for_odd_and_parallel_sizes(int count)
    {
        var tree = new PayoutMerkleTree(5, RandomPayouts(count, count));
        Span<Hash32> proof = stackalloc Hash32[64];

        for (int i = 0; i < count; i++)
        {
            int length = tree.GetProof(i, proof);
            Assert.True(PayoutMerkleTree.Verify(tree.Root, tree.LeafAt(i), proof[..length]), $"proof {i} of {count}");
        }
    }

    [Fact]
    public void Parallel_build_gives_the_same_root_as_a_naive_level_by_level_build()
    {
        List<Payout> payouts = RandomPayouts(72, 50_001);
        var leaves = payouts.Select(p => PayoutMerkleTree.Leaf(9, p.Account, p.Amount)).ToList();
        var nodes = new Hash32[2 * leaves.Count - 1];
        for (int i = 0; i < leaves.Count; i++)
        {
            nodes[nodes.Length - 1 - i] = leaves[i];
        }

        for (int i = leaves.Count - 2; i >= 0; i--)
        {
            Hash32 left = nodes[2 * i + 1];
            Hash32 right = nodes[2 * i + 2];
            nodes[i] = left.CompareTo(right) <= 0 ? Hash32.Keccak([.. left.Span, .. right.Span]) : Hash32.Keccak([.. right.Span, .. left.Span]);
        }

        Assert.Equal(nodes[0], new PayoutMerkleTree(9, payouts).Root);
    }

    [Fact]
    public void Duplicate_accounts_in_one_epoch_are_rejected()
    {
        Address account = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

        var error = Assert.Throws<ArgumentException>(() => new PayoutMerkleTree(1, [new Payout(account, 1), new Payout(account, 2)]));

        Assert.Contains("appears twice", error.Message);
    }

    [Fact]
    public void Proof_by_address_equals_proof_by_index()
    {
        List<Payout> payouts = RandomPayouts(73, 100);
        var tree = new PayoutMerkleTree(2, payouts);

        Assert.Equal(tree.GetProof(57), tree.GetProof(payouts[57].Account));
        Assert.Equal(57, tree.IndexOf(payouts[57].Account));
        Assert.Throws<KeyNotFoundException>(() => tree.GetProof(Address.Zero));
    }

    private static Arbitrary<(int Count, int Index, int Seed)> TreeCases() =>
        Gen.Choose(1, 300).SelectMany(count => Gen.Choose(0, count - 1).SelectMany(index => Gen.Choose(0, int.MaxValue).Select(seed => (count, index, seed)))).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Every_proof_verifies() =>
        Prop.ForAll(TreeCases(), c =>
        {
            var tree = new PayoutMerkleTree((ulong)c.Seed, RandomPayouts(c.Seed, c.Count));
            return PayoutMerkleTree.Verify(tree.Root, tree.LeafAt(c.Index), tree.GetProof(c.Index));
        });

    [Property(MaxTest = 200)]
    public Property A_tampered_leaf_does_not_verify() =>
        Prop.ForAll(TreeCases(), Gen.Choose(0, 255).ToArbitrary(), (c, bit) =>
        {
            var tree = new PayoutMerkleTree(1, RandomPayouts(c.Seed, c.Count));
            byte[] leaf = tree.LeafAt(c.Index).ToArray();
            leaf[bit / 8] ^= (byte)(1 << (bit % 8));
            return !PayoutMerkleTree.Verify(tree.Root, new Hash32(leaf), tree.GetProof(c.Index));
        });

    [Property(MaxTest = 200)]
    public Property A_tampered_proof_element_does_not_verify() =>
        Prop.ForAll(TreeCases(), Gen.Choose(0, 255).ToArbitrary(), (c, bit) =>
        {
            var tree = new PayoutMerkleTree(1, RandomPayouts(c.Seed, c.Count));
            Hash32[] proof = tree.GetProof(c.Index);
            if (proof.Length == 0)
            {
                return true.Label("single-leaf tree has no proof to tamper");
            }

            byte[] element = proof[c.Seed % proof.Length].ToArray();
            element[bit / 8] ^= (byte)(1 << (bit % 8));
            proof[c.Seed % proof.Length] = new Hash32(element);
            return (!PayoutMerkleTree.Verify(tree.Root, tree.LeafAt(c.Index), proof)).ToProperty();
        });

    [Property(MaxTest = 100)]
    public Property A_proof_does_not_verify_another_payout() =>
        Prop.ForAll(TreeCases(), c =>
        {
            var tree = new PayoutMerkleTree(1, RandomPayouts(c.Seed, c.Count));
            Payout payout = tree.Payouts[c.Index];
            Hash32 otherAmount = PayoutMerkleTree.Leaf(1, payout.Account, payout.Amount + 1);
            Hash32 otherEpoch = PayoutMerkleTree.Leaf(2, payout.Account, payout.Amount);
            Hash32[] proof = tree.GetProof(c.Index);
            return !PayoutMerkleTree.Verify(tree.Root, otherAmount, proof) && !PayoutMerkleTree.Verify(tree.Root, otherEpoch, proof);
        });
}
