using ILGPU;
using ILGPU.Runtime;

namespace Depin.Kernels.Mandelbrot;

/// <summary>Host side of the Mandelbrot kernel on one accelerator: loaded once, count buffer reused.</summary>
internal sealed class MandelbrotAccelerated : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index2D, ArrayView<int>, MandelbrotSpec> _kernel;
    private MemoryBuffer1D<int, Stride1D.Dense>? _counts;

    private MandelbrotAccelerated(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _kernel = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<int>, MandelbrotSpec>(MandelbrotDevice.Render);
    }

    public static MandelbrotAccelerated Create(Accelerator accelerator) => new(accelerator);

    public int[] Render(MandelbrotParameters parameters)
    {
        var length = (long)parameters.Width * parameters.Height;
        if (_counts is null || _counts.Length < length)
        {
            _counts?.Dispose();
            _counts = _accelerator.Allocate1D<int>(length);
        }

        var view = _counts.View.AsContiguous().SubView(0, length);
        _kernel(new Index2D(parameters.Width, parameters.Height), view, parameters.ToSpec());
        _accelerator.Synchronize();
        var counts = new int[length];
        view.CopyToCPU(counts);
        return counts;
    }

    public void Dispose() => _counts?.Dispose();
}
