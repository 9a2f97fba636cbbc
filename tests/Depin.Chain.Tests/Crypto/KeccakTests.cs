using Depin.Chain.Tests.Support;
using Org.BouncyCastle.Crypto.Digests;

namespace Depin.Chain.Tests.Crypto;

public class KeccakTests
{
    private static readonly int[] Lengths = [0, 1, 31, 32, 33, 55, 56, 64, 95, 96, 135, 136, 137, 200, 271, 272, 273, 500, 1000, 4096];

    [Fact]
    public void Keccak_of_empty_input_is_the_known_constant()
    {
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Keccak256.Hash([]).ToString());
    }

    [Fact]
    public void Keccak_matches_cast_on_random_inputs_around_block_boundaries()
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
            Assert.Equal(expected[i], Keccak256.Hash(inputs[i]).ToString());
        }
    }

    [Fact]
    public void Keccak_matches_bouncy_castle_on_every_length_up_to_three_blocks()
    {
        var random = Random32.Seeded(2);
        for (int length = 0; length <= 3 * 136 + 1; length++)
        {
            byte[] data = random.Bytes(length);
            var digest = new KeccakDigest(256);
            digest.BlockUpdate(data, 0, data.Length);
            byte[] expected = new byte[32];
            digest.DoFinal(expected, 0);

            Assert.Equal(Hex.Encode(expected), Keccak256.Hash(data).ToString());
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

            Assert.Equal(Keccak256.Hash([.. a.Span, .. b.Span]), Keccak256.Hash(a, b));
        }
    }
}
