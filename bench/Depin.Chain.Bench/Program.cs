using System.Diagnostics;
using Depin.Chain;
using Org.BouncyCastle.Crypto.Digests;

// Times the payout Merkle tree (build + every proof) through the production PayoutMerkleTree, and our Keccak against BouncyCastle's.
int[] sizes = args.Length > 0 ? [.. args.Select(int.Parse)] : [1_000, 100_000, 1_000_000];

Console.WriteLine($"Depin.Chain.Bench  cores={Environment.ProcessorCount}  {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
KeccakComparison(1_000_000);

Console.WriteLine();
Console.WriteLine($"{"leaves",10} {"input",9} {"build",10} {"proofs",10} {"verify",10} {"build alloc",12} {"proofs alloc",13} {"root",-20}");
PayoutTree(1_000, print: false);
foreach (int n in sizes)
{
    PayoutTree(n, print: true);
}

static void KeccakComparison(int count)
{
    byte[] input = new byte[64];
    new Random(1).NextBytes(input);
    byte[] output = new byte[32];
    var digest = new KeccakDigest(256);
    for (int i = 0; i < 10_000; i++)
    {
        Keccak256.Hash(input);
        digest.BlockUpdate(input, 0, input.Length);
        digest.DoFinal(output, 0);
    }

    long before = GC.GetAllocatedBytesForCurrentThread();
    var watch = Stopwatch.StartNew();
    for (int i = 0; i < count; i++)
    {
        Keccak256.Hash(input);
    }

    TimeSpan ours = watch.Elapsed;
    long oursAlloc = GC.GetAllocatedBytesForCurrentThread() - before;
    before = GC.GetAllocatedBytesForCurrentThread();
    watch.Restart();
    for (int i = 0; i < count; i++)
    {
        digest.BlockUpdate(input, 0, input.Length);
        digest.DoFinal(output, 0);
    }

    TimeSpan bc = watch.Elapsed;
    long bcAlloc = GC.GetAllocatedBytesForCurrentThread() - before;
    Console.WriteLine($"keccak256(64 B) x {count:N0}: Depin.Chain {ours.TotalNanoseconds / count:F0} ns/hash ({oursAlloc:N0} B), " +
        $"BouncyCastle KeccakDigest {bc.TotalNanoseconds / count:F0} ns/hash ({bcAlloc:N0} B), ratio {bc / ours:F2}x");
}

static void PayoutTree(int n, bool print)
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
    var tree = new PayoutMerkleTree(42, payouts);
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
        Console.WriteLine($"{n,10:N0} {"",9} {Ms(build),10} {Ms(proofs),10} {Ms(verify) + $"/{checks / 1000}k",10} {Mb(buildAlloc),12} {Mb(proofsAlloc),13} {tree.Root.ToString()[..18]}…  ({proofElements:N0} proof nodes)");
    }
}

static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:F1} ms";

static string Mb(long bytes) => bytes < 1 << 20 ? $"{bytes / 1024.0:F1} KiB" : $"{bytes / (1024.0 * 1024):F1} MiB";
