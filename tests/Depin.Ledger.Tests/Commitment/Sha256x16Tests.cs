using System.Security.Cryptography;
using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Tests.Commitment;

public sealed unsafe class Sha256x16Tests
{
    [Fact]
    public void Sixteen_messages_of_any_length_hash_as_SHA_256_hashes_each()
    {
        var random = new Random(5);
        foreach (var length in Enumerable.Range(0, 200).Append(55).Append(56).Append(64).Append(119).Append(120))
        {
            var stride = Sha256x16.PaddedLength(length);
            Assert.True(stride >= length + 9 && stride % 64 == 0 && stride - length - 9 < 64, $"padded length {stride} for {length}");
            const int Guard = 64;
            var lanes = new byte[(Sha256x16.Lanes * stride) + Guard];
            lanes.AsSpan(Sha256x16.Lanes * stride).Fill(0xA5);
            var messages = new byte[Sha256x16.Lanes][];
            for (var lane = 0; lane < Sha256x16.Lanes; lane++)
            {
                messages[lane] = new byte[length];
                random.NextBytes(messages[lane]);
                messages[lane].CopyTo(lanes, lane * stride);
            }

            var digests = new Hash256[Sha256x16.Lanes];
            fixed (byte* input = lanes)
            fixed (Hash256* output = digests)
            {
                Sha256x16.Messages(input, stride, length, output);
            }

            for (var lane = 0; lane < Sha256x16.Lanes; lane++)
            {
                Assert.Equal(Hash256.ReadFrom(SHA256.HashData(messages[lane])), digests[lane]);
            }

            Assert.All(lanes[(Sha256x16.Lanes * stride)..], b => Assert.Equal(0xA5, b));
        }
    }

    [Theory]
    [InlineData(0, 15)]
    [InlineData(0, 16)]
    [InlineData(3, 64)]
    [InlineData(64, 128)]
    [InlineData(5, 1_000)]
    public void Receipt_leaves_hashed_together_are_the_leaves_hashed_one_by_one(int from, int to)
    {
        var random = new Random(to);
        var txs = RandomBlocks.Block(random, to, 50, []);
        var statuses = Enumerable.Range(0, to).Select(_ => (ReceiptStatus)random.Next(0, 3)).ToArray();
        var leaves = new Hash256[to];

        Sha256Lanes.With(Sha256Lanes.Fastest, () => ReceiptHashing.Leaves(txs, statuses, 42, from, to, leaves));

        for (var j = 0; j < to; j++)
        {
            Assert.Equal(j < from ? Hash256.Zero : ReceiptHashing.Leaf(txs[j], statuses[j], 42, j), leaves[j]);
        }
    }

    [Fact]
    public void Receipt_leaves_past_the_output_are_refused_before_any_is_written()
    {
        var txs = RandomBlocks.Block(new Random(1), 40, 50, []);
        var statuses = new ReceiptStatus[40];
        var leaves = new Hash256[32];

        Assert.Throws<ArgumentOutOfRangeException>(() => ReceiptHashing.Leaves(txs, statuses, 1, 0, 40, leaves));
        Assert.All(leaves, leaf => Assert.Equal(Hash256.Zero, leaf));
    }
}
