using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Tests.Commitment;

public sealed class ReceiptsRootTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(200)]
    [InlineData(4_097)]
    [InlineData(8_193)]
    [InlineData(20_000)]
    public void Chunks_hashed_with_their_subtrees_give_the_root_of_every_level_hashed(int count)
    {
        var random = new Random(count);
        var txs = RandomBlocks.Block(random, count, 50, []);
        var whole = new BlockOutput();
        var chunked = new BlockOutput();
        var someChunks = new BlockOutput();
        whole.Reset(count);
        chunked.Reset(count);
        someChunks.Reset(count);
        for (var i = 0; i < count; i++)
        {
            var status = (ReceiptStatus)random.Next(0, 3);
            whole.Statuses[i] = status;
            chunked.Statuses[i] = status;
            someChunks.Statuses[i] = status;
        }

        // As the sequential executor hashes (one range), as the pipelined executor's workers do (aligned chunks, in any
        // order), and a mixture of both (chunks rooted and not).
        whole.HashReceiptLeaves(txs, 7, 0, count);
        var chunks = Enumerable.Range(0, (count + BlockOutput.ChunkLeaves - 1) / BlockOutput.ChunkLeaves).OrderBy(_ => random.Next()).ToArray();
        foreach (var chunk in chunks)
        {
            var from = chunk * BlockOutput.ChunkLeaves;
            chunked.HashReceiptLeaves(txs, 7, from, Math.Min(count, from + BlockOutput.ChunkLeaves));
        }

        var half = count / 2;
        someChunks.HashReceiptLeaves(txs, 7, 0, Math.Min(BlockOutput.ChunkLeaves, count));
        someChunks.HashReceiptLeaves(txs, 7, Math.Min(BlockOutput.ChunkLeaves, count), half);
        someChunks.HashReceiptLeaves(txs, 7, half, count);

        var expected = MerkleRoot.Compute(whole.ReceiptLeaves.AsSpan(0, count));
        Assert.Equal(expected, whole.ReceiptsRoot());
        Assert.Equal(expected, chunked.ReceiptsRoot());
        Assert.Equal(expected, someChunks.ReceiptsRoot());
    }

    [Fact]
    public void A_reused_output_forgets_the_chunks_of_the_block_before()
    {
        var random = new Random(5);
        var first = RandomBlocks.Block(random, 300, 50, []);
        var second = RandomBlocks.Block(random, 200, 50, []);
        var output = new BlockOutput();
        output.Reset(first.Length);
        for (var from = 0; from < first.Length; from += BlockOutput.ChunkLeaves)
        {
            output.HashReceiptLeaves(first, 2, from, Math.Min(first.Length, from + BlockOutput.ChunkLeaves));
        }

        output.ReceiptsRoot();
        output.Reset(second.Length);
        output.HashReceiptLeaves(second, 3, 0, BlockOutput.ChunkLeaves);
        output.HashReceiptLeaves(second, 3, BlockOutput.ChunkLeaves, second.Length);

        Assert.Equal(MerkleRoot.Compute(output.ReceiptLeaves.AsSpan(0, second.Length)), output.ReceiptsRoot());
    }
}
