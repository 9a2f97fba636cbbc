using ILGPU;
using ILGPU.Runtime;

namespace Depin.Kernels.MatMul;

/// <summary>
/// Host side of the tiled matmul on one accelerator: loads the kernel once and keeps the device buffers,
/// growing them only when a larger job arrives. Tile 16 (256 threads) where the device allows it; the CPU
/// accelerator caps groups at 16 threads, so there the same kernel runs with tile 4.
/// </summary>
internal sealed class MatMulAccelerated : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulShape> _kernel;
    private readonly int _tile;
    private MemoryBuffer1D<float, Stride1D.Dense>? _a;
    private MemoryBuffer1D<float, Stride1D.Dense>? _b;
    private MemoryBuffer1D<float, Stride1D.Dense>? _c;

    private MatMulAccelerated(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _tile = accelerator.MaxNumThreadsPerGroup >= 256 ? 16 : 4;
        _kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulShape>(MatMulDeviceKernels.Tiled);
    }

    public static MatMulAccelerated Create(Accelerator accelerator) => new(accelerator);

    public int Tile => _tile;

    public bool Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, MatMulShape shape)
    {
        var viewA = Ensure(ref _a, shape.ElementsA);
        var viewB = Ensure(ref _b, shape.ElementsB);
        var viewC = Ensure(ref _c, shape.ElementsC);
        viewA.CopyFromCPU(a);
        viewB.CopyFromCPU(b);

        var grid = new Index2D((shape.N + _tile - 1) / _tile, (shape.M + _tile - 1) / _tile);
        var config = new KernelConfig(grid, new Index2D(_tile, _tile), SharedMemoryConfig.RequestDynamic<float>(2 * _tile * _tile));
        _kernel(config, viewA, viewB, viewC, shape);
        _accelerator.Synchronize();
        viewC.CopyToCPU(c);
        return true;
    }

    private ArrayView<float> Ensure(ref MemoryBuffer1D<float, Stride1D.Dense>? buffer, long length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer?.Dispose();
            buffer = _accelerator.Allocate1D<float>(Math.Max(length, 1));
        }

        return buffer.View.AsContiguous().SubView(0, length);
    }

    public void Dispose()
    {
        _a?.Dispose();
        _b?.Dispose();
        _c?.Dispose();
    }
}
