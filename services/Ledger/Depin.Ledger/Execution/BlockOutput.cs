using Depin.Ledger.Commitment;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Execution;

/// <summary>Per-transaction results of one block, in block order. Reused across blocks.</summary>
public sealed class BlockOutput
{
    /// <summary>
    /// Leaves per aligned chunk whose subtree is hashed with the leaves when a worker hashes exactly that chunk (the
    /// pipelined executor's workers do), so that the receipts root then only combines one node per chunk.
    /// </summary>
    public const int ChunkLeaves = 64;

    /// <summary>Levels from a chunk's leaves to its subtree's root (64 = 2^6).</summary>
    private const int ChunkLevels = 6;

    private Hash256[] _chunkRoots = [];
    private bool[] _chunkRooted = [];
    private Hash256? _receiptsRoot;

    public ReceiptStatus[] Statuses { get; private set; } = [];

    public Hash256[] ReceiptLeaves { get; private set; } = [];

    public int Count { get; private set; }

    public void Reset(int count)
    {
        if (Statuses.Length < count)
        {
            Statuses = new ReceiptStatus[count];
            ReceiptLeaves = new Hash256[count];
        }

        var chunks = Chunks(count);
        if (_chunkRoots.Length < chunks)
        {
            _chunkRoots = new Hash256[chunks];
            _chunkRooted = new bool[chunks];
        }

        Array.Clear(_chunkRooted, 0, chunks);
        _receiptsRoot = null;
        Count = count;
    }

    /// <summary>
    /// Hashes the receipt leaves of transactions [<paramref name="from"/>, <paramref name="to"/>) from their statuses; where
    /// that range is exactly one aligned chunk of a block of more than one chunk, also the chunk's subtree, while its leaves
    /// are in this core's cache.
    /// </summary>
    public void HashReceiptLeaves(ReadOnlySpan<Transaction> txs, long height, int from, int to)
    {
        ReceiptHashing.Leaves(txs, Statuses, height, from, to, ReceiptLeaves);

        if (Count > ChunkLeaves && from % ChunkLeaves == 0 && (to - from == ChunkLeaves || (to == Count && to - from < ChunkLeaves)))
        {
            var chunk = from / ChunkLeaves;
            _chunkRoots[chunk] = MerkleRoot.Subtree(ReceiptLeaves.AsSpan(from, to - from), ChunkLevels);
            _chunkRooted[chunk] = true;
        }
    }

    /// <summary>
    /// The Merkle root over the receipt leaves (<see cref="MerkleRoot"/>). Where the chunks' subtrees were hashed with
    /// their leaves it combines those (the same root: a chunk starts at an even index on every level below it, so its
    /// nodes pair among themselves, and an odd last node is paired with zero either way); otherwise it hashes every level.
    /// Computed once per block: the leaves are final once the executor returns, and the next <see cref="Reset"/> forgets it.
    /// </summary>
    public Hash256 ReceiptsRoot() => _receiptsRoot ??= ComputeReceiptsRoot();

    private Hash256 ComputeReceiptsRoot()
    {
        var chunks = Chunks(Count);
        if (Count <= ChunkLeaves || !_chunkRooted.AsSpan(0, chunks).Contains(true))
        {
            return MerkleRoot.Compute(ReceiptLeaves, Count);
        }

        for (var chunk = 0; chunk < chunks; chunk++)
        {
            if (!_chunkRooted[chunk])
            {
                var from = chunk * ChunkLeaves;
                _chunkRoots[chunk] = MerkleRoot.Subtree(ReceiptLeaves.AsSpan(from, Math.Min(ChunkLeaves, Count - from)), ChunkLevels);
            }
        }

        return MerkleRoot.Compute(_chunkRoots.AsSpan(0, chunks));
    }

    private static int Chunks(int count) => (count + ChunkLeaves - 1) / ChunkLeaves;
}
