using ILGPU;
using ILGPU.Runtime;

namespace Depin.Kernels.MonteCarlo;

/// <summary>Host side of the Monte Carlo kernel on one accelerator: loaded once, partial-sum buffer reused.</summary>
internal sealed class MonteCarloAccelerated : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<double>, MonteCarloSpec> _kernel;
    private MemoryBuffer1D<double, Stride1D.Dense>? _sums;

    private MonteCarloAccelerated(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, MonteCarloSpec>(MonteCarloDevice.Blocks);
    }

    public static MonteCarloAccelerated Create(Accelerator accelerator) => new(accelerator);

    public double[] BlockSums(MonteCarloParameters parameters)
    {
        var length = 2L * parameters.Blocks;
        if (_sums is null || _sums.Length < length)
        {
            _sums?.Dispose();
            _sums = _accelerator.Allocate1D<double>(length);
        }

        var view = _sums.View.AsContiguous().SubView(0, length);
        _kernel(parameters.Blocks, view, parameters.ToSpec());
        _accelerator.Synchronize();
        var sums = new double[length];
        view.CopyToCPU(sums);
        return sums;
    }

    public void Dispose() => _sums?.Dispose();
}
