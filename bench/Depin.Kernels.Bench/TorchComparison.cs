namespace Depin.Kernels.Bench;

/// <summary>Prints our CUDA matmul GFLOP/s at 4096³, with the torch one-liner that gives cuBLAS's figure for the same size.</summary>
internal static class TorchComparison
{
    public const string PythonOneLiner =
        "python3 -c \"import torch,time;a=torch.rand(4096,4096,device='cuda');b=torch.rand(4096,4096,device='cuda');torch.backends.cuda.matmul.allow_tf32=False;" +
        "[a@b for _ in range(3)];torch.cuda.synchronize();t=time.time();[a@b for _ in range(20)];torch.cuda.synchronize();print('torch.matmul fp32 GFLOP/s',2*4096**3*20/(time.time()-t)/1e9)\"";

    public static void Run(ComputeDevices devices)
    {
        var cuda = devices.Devices.Where(d => d.Kind == DeviceKind.Cuda).ToList();
        if (cuda.Count == 0)
        {
            Console.WriteLine("--torch: no CUDA device here; run this on a GPU machine beside:");
            Console.WriteLine(PythonOneLiner);
            return;
        }

        foreach (var descriptor in cuda)
        {
            using var device = devices.Open(descriptor);
            var gflops = device.MeasureMatMulGflops(4096, repetitions: 5);
            Console.WriteLine($"Depin tiled matmul fp32 4096x4096x4096 on {descriptor.Name}: {gflops:F0} GFLOP/s");
        }

        Console.WriteLine("Compare with (same machine, TF32 off so both are true float32):");
        Console.WriteLine(PythonOneLiner);
    }
}
