using Depin.Chain.Tests.Support;
using Nethereum.Util;

namespace Depin.Chain.Tests.Merkle;

/// <summary>The payout tree's own Keccak path against cast and Nethereum, and Nethereum's (which everything else uses) against cast.</summary>
public class MerkleKeccakTests
{
    private static readonly int[] Lengths = [0, 1, 31, 32, 33, 55, 56, 64, 95, 96, 135, 136, 137, 200, 271, 272, 273, 500, 1000, 4096];

    [Fact]
    public void Keccak_of_empty_input_is_the_known_constant()
    {
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", MerkleKeccak.Hash([]).ToString());
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Hash32.Keccak([]).ToString());
    }

    [Fact]
    public void Both_keccak_paths_match_cast_on_random_inputs_around_block_boundaries()
    {
        var random = Random32.Seeded(1);
        var inputs = new List<byte[]>();
        foreach (int length in Lengths)
        {
            inputs.Add(random.Bytes(length));
            inputs.Add(random.Bytes(random.Next(0, 700)));
        }

        string[] expected = Cast.RunMany(inputs, data => ["keccak", Hex.Encode(data)]);

        for (int i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(expected[i], MerkleKeccak.Hash(inputs[i]).ToString());
            Assert.Equal(expected[i], Hash32.Keccak(inputs[i]).ToString());
        }
    }

    [Fact]
    public void Merkle_keccak_matches_nethereum_on_every_length_up_to_three_blocks()
    {
        var random = Random32.Seeded(2);
        for (int length = 0; length <= 3 * 136 + 1; length++)
        {
            byte[] data = random.Bytes(length);

            Assert.Equal(Hex.Encode(Sha3Keccack.Current.CalculateHash(data)), MerkleKeccak.Hash(data).ToString());
        }
    }

    [Fact]
    public void Pair_hash_equals_hash_of_the_64_byte_concatenation()
    {
        var random = Random32.Seeded(3);
        for (int i = 0; i < 200; i++)
        {
            Hash32 a = random.NextHash();
            Hash32 b = random.NextHash();

            Assert.Equal(Hash32.Keccak([.. a.Span, .. b.Span]), MerkleKeccak.Hash(a, b));
        }
    }
}
