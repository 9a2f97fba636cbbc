using System.Diagnostics;
using Depin.Ledger.Commitment;

namespace Depin.Ledger.Bench;

/// <summary>
/// How this machine scales two threads, printed beside the executor ratios: hashing (most of a transaction's cost: its
/// receipt leaf and account leaves) and a latency-bound integer loop. Two vCPUs that are SMT siblings on the host, or
/// share a core's SHA unit, scale the first far less than the second, and no executor can beat that bound.
/// </summary>
internal static class MachineCheck
{
    public static (double Hashing, double Integer) TwoThreadScaling()
    {
        return (Scaling(() => Hash(400_000)), Scaling(() => Integer(60_000_000)));
    }

    private static double Scaling(Action work)
    {
        work();
        var one = Stopwatch.StartNew();
        work();
        var single = one.Elapsed.TotalSeconds;
        var two = Stopwatch.StartNew();
        var other = new Thread(() => work());
        other.Start();
        work();
        other.Join();
        return 2 * single / two.Elapsed.TotalSeconds;
    }

    private static void Hash(int count)
    {
        Span<byte> data = stackalloc byte[31];
        for (var i = 0; i < count; i++)
        {
            data[0] = (byte)i;
            _ = Hash256.Compute(data);
        }
    }

    private static long Integer(long count)
    {
        long x = 1;
        for (long i = 0; i < count; i++)
        {
            x = (x * 6364136223846793005L) + 1442695040888963407L;
            x ^= x >> 17;
        }

        return x;
    }
}
