namespace Depin.Kernels.Bench;

/// <summary>Accumulates rows and prints them as a fixed-width table.</summary>
internal sealed class ResultTable
{
    private readonly List<string[]> _rows =
    [
        ["device", "kernel", "size", "time ms", "units/s", "ref ms", "ref units/s", "speedup", "alloc MB", "verified"],
    ];

    public void Add(DeviceDescriptor device, BenchCase job, long units, Measurement accelerated, Measurement reference, VerificationOutcome verdict)
    {
        var seconds = accelerated.Time.TotalSeconds;
        var referenceSeconds = reference.Time.TotalSeconds;
        _rows.Add(
        [
            $"{device.Kind}",
            job.Kind,
            job.Label,
            $"{seconds * 1e3:F1}",
            $"{units / seconds:G3}",
            $"{referenceSeconds * 1e3:F1}",
            $"{units / referenceSeconds:G3}",
            $"{referenceSeconds / seconds:F2}x",
            $"{accelerated.AllocatedBytes / 1048576.0:F1}",
            verdict.Ok ? "ok" : "FAILED: " + verdict.Reason,
        ]);
    }

    public void Print()
    {
        var widths = Enumerable.Range(0, _rows[0].Length).Select(c => _rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in _rows)
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, c) => c < 3 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))));
        }

        Console.WriteLine("speedup = reference time / accelerator time, same job in the same process; units: matmul flops, mandelbrot pixel-iterations, montecarlo path-steps, pow expected hashes.");
    }
}
