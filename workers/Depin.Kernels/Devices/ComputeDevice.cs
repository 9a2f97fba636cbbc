using System.Diagnostics;
using ILGPU.Runtime;

namespace Depin.Kernels;

/// <summary>
/// One lane: an ILGPU accelerator with the kernels loaded on it and their buffers.
/// Runs on one lane are serialized; use one lane per concurrent job. Disposing releases the
/// buffers, the loaded kernels and the accelerator, and must happen before the owning <see cref="ComputeDevices"/> is disposed.
/// </summary>
public sealed class ComputeDevice : IDisposable
{
    private readonly Dictionary<Type, IDisposable> _runners = [];
    private readonly Lock _gate = new();
    private bool _disposed;

    internal ComputeDevice(DeviceDescriptor descriptor, Accelerator accelerator)
    {
        Descriptor = descriptor;
        Accelerator = accelerator;
    }

    public DeviceDescriptor Descriptor { get; }

    public string Name => Descriptor.Name;

    public DeviceKind Kind => Descriptor.Kind;

    public long MemoryBytes => Descriptor.MemoryBytes;

    public int ComputeUnits => Descriptor.ComputeUnits;

    internal Accelerator Accelerator { get; }

    /// <summary>
    /// Short matmul benchmark reported by the worker agent: GFLOP/s rounded, at least 1.
    /// 512³ on CUDA, 16³ on the CPU accelerator: it simulates GPU threads with barriers and scores far below 1 GFLOP/s
    /// at any size, while 48³ took 16 s of a worker's start-up on a busy 2-core machine.
    /// </summary>
    public int MeasureGflops()
    {
        var size = Kind == DeviceKind.Cuda ? 512 : 16;
        return Math.Max(1, (int)Math.Round(MeasureMatMulGflops(size, repetitions: 3)));
    }

    /// <summary>Best-of-<paramref name="repetitions"/> GFLOP/s of the tiled matmul on square matrices, after one warm-up.</summary>
    public double MeasureMatMulGflops(int size, int repetitions)
    {
        var a = MatMul.MatMulInput.Generate(size * size, 1, 0);
        var b = MatMul.MatMulInput.Generate(size * size, 1, 1);
        var c = new float[size * size];
        var shape = new MatMul.MatMulShape(size, size, size);
        Execute(MatMul.MatMulAccelerated.Create, r => r.Multiply(a, b, c, shape));
        var best = double.MaxValue;
        for (var i = 0; i < repetitions; i++)
        {
            var started = Stopwatch.GetTimestamp();
            Execute(MatMul.MatMulAccelerated.Create, r => r.Multiply(a, b, c, shape));
            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        return 2.0 * size * size * size / best / 1e9;
    }

    /// <summary>Runs <paramref name="action"/> with this lane's cached runner of type <typeparamref name="TRunner"/>, created on first use.</summary>
    internal TResult Execute<TRunner, TResult>(Func<Accelerator, TRunner> create, Func<TRunner, TResult> action)
        where TRunner : class, IDisposable
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_runners.TryGetValue(typeof(TRunner), out var runner))
            {
                runner = create(Accelerator);
                _runners.Add(typeof(TRunner), runner);
            }

            return action((TRunner)runner);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var runner in _runners.Values)
            {
                runner.Dispose();
            }

            _runners.Clear();
            Accelerator.Dispose();
        }
    }
}
