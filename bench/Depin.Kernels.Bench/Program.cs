using Depin.Kernels;
using Depin.Kernels.Bench;

// Usage: Depin.Kernels.Bench [--torch] [--reps N]
//   default  every kernel on every accelerator against its C# reference in this process
//   --torch  float32 matmul GFLOP/s at 4096³ on each CUDA device, to set beside torch.matmul run on the same machine
var torch = args.Contains("--torch");
var repsIndex = Array.IndexOf(args, "--reps");
var repetitions = repsIndex >= 0 && repsIndex + 1 < args.Length ? int.Parse(args[repsIndex + 1]) : 3;

using var devices = ComputeDevices.Discover();
Console.WriteLine($"Devices: {string.Join("; ", devices.Devices.Select(d => $"{d.Kind} {d.Name}, {d.MemoryBytes / (1 << 20)} MiB, {d.ComputeUnits} units"))}");

if (torch)
{
    TorchComparison.Run(devices);
    return;
}

var registry = KernelRegistry.CreateDefault();
var table = new ResultTable();
foreach (var descriptor in devices.Devices)
{
    using var device = devices.Open(descriptor);
    foreach (var job in BenchCase.For(descriptor.Kind))
    {
        var kernel = registry.Get(job.Kind);
        var units = kernel.WorkUnits(job.Parameters);
        var accelerated = Measurement.Of(() => kernel.Run(device, job.Parameters, default), repetitions);
        var reference = Measurement.Of(() => kernel.RunReference(job.Parameters, default), Math.Min(repetitions, 2));
        var verdict = kernel.Verify(job.Parameters, default, accelerated.Result, new Random(1));
        table.Add(descriptor, job, units, accelerated, reference, verdict);
    }
}

table.Print();
