using System.Diagnostics;

namespace Depin.Kernels.Bench;

/// <summary>Best wall time of a few runs after a warm-up, and bytes allocated by the last run (all threads).</summary>
internal readonly record struct Measurement(TimeSpan Time, long AllocatedBytes, byte[] Result)
{
    public static Measurement Of(Func<byte[]> run, int repetitions)
    {
        var result = run();
        var best = TimeSpan.MaxValue;
        long allocated = 0;
        for (var i = 0; i < repetitions; i++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var started = Stopwatch.GetTimestamp();
            result = run();
            var elapsed = Stopwatch.GetElapsedTime(started);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            best = elapsed < best ? elapsed : best;
        }

        return new Measurement(best, allocated, result);
    }
}
