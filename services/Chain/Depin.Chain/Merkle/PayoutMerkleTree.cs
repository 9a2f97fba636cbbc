using System.Buffers.Binary;

namespace Depin.Chain;

/// <summary>
/// The Merkle tree of one epoch's payouts, laid out like OpenZeppelin's StandardMerkleTree (sortLeaves: false):
/// a complete binary tree in one flat array of 2n-1 nodes, leaves at the end in reverse input order,
/// leaf = keccak256(keccak256(abi.encode(uint256 epoch, address account, uint256 amount))),
/// node = keccak256(min(a, b) ‖ max(a, b)), so proofs check with OpenZeppelin's MerkleProof.verify.
/// </summary>
public sealed class PayoutMerkleTree
{
    private const int ParallelThreshold = 16_384;

    private readonly Hash32[] _nodes;
    private readonly Payout[] _payouts;
    private readonly Dictionary<Address, int> _indexByAccount;

    public PayoutMerkleTree(ulong epoch, IReadOnlyList<Payout> payouts)
        : this(epoch, payouts, nethereumKeccak: false)
    {
    }

    /// <summary>With <paramref name="nethereumKeccak"/>, hashes with Nethereum's Sha3Keccack instead: the bench's baseline, same root.</summary>
    internal PayoutMerkleTree(ulong epoch, IReadOnlyList<Payout> payouts, bool nethereumKeccak)
    {
        ArgumentNullException.ThrowIfNull(payouts);
        if (payouts.Count == 0)
        {
            throw new ArgumentException("A payout tree needs at least one payout.", nameof(payouts));
        }

        Epoch = epoch;
        _payouts = [.. payouts];
        _indexByAccount = new Dictionary<Address, int>(_payouts.Length);
        for (int i = 0; i < _payouts.Length; i++)
        {
            if (!_indexByAccount.TryAdd(_payouts[i].Account, i))
            {
                throw new ArgumentException($"Account {_payouts[i].Account} appears twice in epoch {epoch}; one leaf per account.", nameof(payouts));
            }
        }

        _nodes = new Hash32[2 * _payouts.Length - 1];
        if (nethereumKeccak)
        {
            HashLeaves<NethereumKeccakHasher>();
            HashInnerNodes<NethereumKeccakHasher>();
        }
        else
        {
            HashLeaves<MerkleKeccakHasher>();
            HashInnerNodes<MerkleKeccakHasher>();
        }
    }

    public ulong Epoch { get; }

    public int Count => _payouts.Length;

    public Hash32 Root => _nodes[0];

    public IReadOnlyList<Payout> Payouts => _payouts;

    /// <summary>The double-hashed leaf that MerkleDistributor.claim recomputes on chain.</summary>
    public static Hash32 Leaf(ulong epoch, Address account, UInt128 amount) => Leaf<MerkleKeccakHasher>(epoch, account, amount);

    private static Hash32 Leaf<THasher>(ulong epoch, Address account, UInt128 amount)
        where THasher : struct, IKeccakHasher
    {
        Span<byte> encoded = stackalloc byte[96];
        encoded.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(encoded.Slice(24, 8), epoch);
        account.Span.CopyTo(encoded.Slice(44, 20));
        BinaryPrimitives.WriteUInt128BigEndian(encoded.Slice(80, 16), amount);
        Hash32 inner = THasher.Hash(encoded);
        return THasher.Hash(inner.Span);
    }

    public Hash32 LeafAt(int index) => _nodes[LeafNode(index)];

    public int IndexOf(Address account) => _indexByAccount.TryGetValue(account, out int index) ? index : -1;

    public bool Contains(Address account) => _indexByAccount.ContainsKey(account);

    public Payout PayoutFor(Address account) => _payouts[RequireIndex(account)];

    public int ProofLength(int index)
    {
        int node = LeafNode(index);
        int length = 0;
        while (node > 0)
        {
            node = (node - 1) / 2;
            length++;
        }

        return length;
    }

    /// <summary>Writes the sibling path of leaf <paramref name="index"/> into <paramref name="destination"/>; returns its length.</summary>
    public int GetProof(int index, Span<Hash32> destination)
    {
        int node = LeafNode(index);
        int length = 0;
        while (node > 0)
        {
            int sibling = (node & 1) == 1 ? node + 1 : node - 1;
            destination[length++] = _nodes[sibling];
            node = (node - 1) / 2;
        }

        return length;
    }

    public Hash32[] GetProof(int index)
    {
        var proof = new Hash32[ProofLength(index)];
        GetProof(index, proof);
        return proof;
    }

    public Hash32[] GetProof(Address account) => GetProof(RequireIndex(account));

    /// <summary>Folds the proof into the leaf with sorted-pair hashing and compares with the root.</summary>
    public static bool Verify(Hash32 root, Hash32 leaf, ReadOnlySpan<Hash32> proof)
    {
        Hash32 computed = leaf;
        foreach (Hash32 sibling in proof)
        {
            computed = HashPair(computed, sibling);
        }

        return computed == root;
    }

    /// <summary>keccak256 of the two words in ascending byte order (OpenZeppelin's commutative hash).</summary>
    public static Hash32 HashPair(in Hash32 a, in Hash32 b) =>
        a.CompareTo(b) <= 0 ? MerkleKeccak.Hash(a, b) : MerkleKeccak.Hash(b, a);

    private int LeafNode(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _payouts.Length);
        return _nodes.Length - 1 - index;
    }

    private int RequireIndex(Address account) =>
        _indexByAccount.TryGetValue(account, out int index)
            ? index
            : throw new KeyNotFoundException($"Account {account} has no payout in epoch {Epoch}.");

    private void HashLeaves<THasher>()
        where THasher : struct, IKeccakHasher
    {
        int n = _payouts.Length;
        if (n < ParallelThreshold)
        {
            HashLeafRange<THasher>(0, n);
            return;
        }

        int chunk = Math.Max(ParallelThreshold / 4, n / (Environment.ProcessorCount * 4));
        Parallel.For(0, (n + chunk - 1) / chunk, c => HashLeafRange<THasher>(c * chunk, Math.Min(n, (c + 1) * chunk)));
    }

    private void HashLeafRange<THasher>(int from, int to)
        where THasher : struct, IKeccakHasher
    {
        int last = _nodes.Length - 1;
        for (int i = from; i < to; i++)
        {
            _nodes[last - i] = Leaf<THasher>(Epoch, _payouts[i].Account, _payouts[i].Amount);
        }
    }

    private void HashInnerNodes<THasher>()
        where THasher : struct, IKeccakHasher
    {
        int lastInner = _payouts.Length - 2;
        if (lastInner < 0)
        {
            return;
        }

        // Depth d holds nodes [2^d - 1, 2^(d+1) - 2]; every child of depth d sits at depth d + 1, so levels run bottom-up.
        int depth = 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)(lastInner + 1));
        for (int d = depth; d >= 0; d--)
        {
            int from = (1 << d) - 1;
            int to = Math.Min((1 << (d + 1)) - 2, lastInner) + 1;
            if (to - from < ParallelThreshold)
            {
                HashInnerRange<THasher>(from, to);
            }
            else
            {
                int chunk = Math.Max(ParallelThreshold / 4, (to - from) / (Environment.ProcessorCount * 4));
                Parallel.For(0, (to - from + chunk - 1) / chunk, c => HashInnerRange<THasher>(from + c * chunk, Math.Min(to, from + (c + 1) * chunk)));
            }
        }
    }

    private void HashInnerRange<THasher>(int from, int to)
        where THasher : struct, IKeccakHasher
    {
        Hash32[] nodes = _nodes;
        for (int i = from; i < to; i++)
        {
            Hash32 a = nodes[2 * i + 1];
            Hash32 b = nodes[2 * i + 2];
            nodes[i] = a.CompareTo(b) <= 0 ? THasher.Pair(a, b) : THasher.Pair(b, a);
        }
    }
}
