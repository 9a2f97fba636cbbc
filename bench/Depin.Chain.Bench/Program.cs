using System.Diagnostics;
using Depin.Chain;
using Nethereum.Util;

// Times the payout Merkle tree (build + every proof) through the production PayoutMerkleTree, with its own Keccak path
// and, side by side, with Nethereum's Sha3Keccack (the baseline that every other hash in the platform uses).
bool quick = args.Contains("--quick");
int[] sizes = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(int.Parse).ToArray() is { Length: > 0 } given
    ? given
    : quick ? [1_000, 100_000] : [1_000, 100_000, 1_000_000];

Console.WriteLine($"Depin.Chain.Bench  cores={Environment.ProcessorCount}  {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
KeccakComparison(quick ? 200_000 : 1_000_000);

Console.WriteLine();
Console.WriteLine($"{"leaves",10} {"keccak",10} {"build",10} {"proofs",10} {"verify",10} {"build alloc",12} {"proofs alloc",13} {"root",-20}");
PayoutTree(1_000, nethereum: false, print: false);
PayoutTree(1_000, nethereum: true, print: false);
foreach (int n in sizes)
{
    TimeSpan ours = PayoutTree(n, nethereum: false, print: true);
    TimeSpan theirs = PayoutTree(n, nethereum: true, print: true);
    Console.WriteLine($"{"",10} build ratio Nethereum / ours: {theirs / ours:F2}x");
}

static void KeccakComparison(int count)
{
    byte[] input = new byte[64];
    new Random(1).NextBytes(input);
    Hash32 a = new(input.AsSpan(0, 32));
    Hash32 b = new(input.AsSpan(32, 32));
    for (int i = 0; i < 10_000; i++)
    {
        MerkleKeccakHasher.Pair(a, b);
        Sha3Keccack.Current.CalculateHash(input);
    }

    if (MerkleKeccakHasher.Pair(a, b) != new Hash32(Sha3Keccack.Current.CalculateHash(input)))
    {
        throw new InvalidOperationException("The two Keccak paths disagree.");
    }

    long before = GC.GetAllocatedBytesForCurrentThread();
    var watch = Stopwatch.StartNew();
    for (int i = 0; i < count; i++)
    {
        MerkleKeccakHasher.Pair(a, b);
    }

    TimeSpan ours = watch.Elapsed;
    long oursAlloc = GC.GetAllocatedBytesForCurrentThread() - before;
    before = GC.GetAllocatedBytesForCurrentThread();
    watch.Restart();
    for (int i = 0; i < count; i++)
    {
        Sha3Keccack.Current.CalculateHash(input);
    }

    TimeSpan nethereum = watch.Elapsed;
    long nethereumAlloc = GC.GetAllocatedBytesForCurrentThread() - before;
    Console.WriteLine($"keccak256(64 B) x {count:N0}: tree path {ours.TotalNanoseconds / count:F0} ns/hash ({oursAlloc / count} B/hash), " +
        $"Nethereum Sha3Keccack {nethereum.TotalNanoseconds / count:F0} ns/hash ({nethereumAlloc / count} B/hash), ratio {nethereum / ours:F2}x");
}

static TimeSpan PayoutTree(int n, bool nethereum, bool print)
{
    var random = new Random(n);
    var payouts = new Payout[n];
    byte[] address = new byte[20];
    for (int i = 0; i < n; i++)
    {
        random.NextBytes(address);
        payouts[i] = new Payout(new Address(address), (UInt128)random.NextInt64(1, long.MaxValue));
    }

    GC.Collect();
    GC.WaitForPendingFinalizers();
    long before = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    var tree = new PayoutMerkleTree(42, payouts, nethereum);
    TimeSpan build = watch.Elapsed;
    long buildAlloc = GC.GetTotalAllocatedBytes(precise: true) - before;

    Span<Hash32> proof = stackalloc Hash32[64];
    long proofElements = 0;
    before = GC.GetTotalAllocatedBytes(precise: true);
    watch.Restart();
    for (int i = 0; i < n; i++)
    {
        proofElements += tree.GetProof(i, proof);
    }

    TimeSpan proofs = watch.Elapsed;
    long proofsAlloc = GC.GetTotalAllocatedBytes(precise: true) - before;

    int checks = Math.Min(n, 10_000);
    watch.Restart();
    for (int i = 0; i < checks; i++)
    {
        int index = (int)((long)i * n / checks);
        int length = tree.GetProof(index, proof);
        if (!PayoutMerkleTree.Verify(tree.Root, tree.LeafAt(index), proof[..length]))
        {
            throw new InvalidOperationException($"Proof {index} of {n} does not verify.");
        }
    }

    TimeSpan verify = watch.Elapsed;
    if (print)
    {
        Console.WriteLine($"{n,10:N0} {(nethereum ? "Nethereum" : "tree path"),10} {Ms(build),10} {Ms(proofs),10} {Ms(verify) + $"/{checks / 1000}k",10} {Mb(buildAlloc),12} {Mb(proofsAlloc),13} {tree.Root.ToString()[..18]}…  ({proofElements:N0} proof nodes)");
    }

    return build;
}

static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:F1} ms";

static string Mb(long bytes) => bytes < 1 << 20 ? $"{bytes / 1024.0:F1} KiB" : $"{bytes / (1024.0 * 1024):F1} MiB";
