using ILGPU;

namespace Depin.Kernels.MonteCarlo;

internal static class MonteCarloDevice
{
    /// <summary>One thread per block of paths, so each partial sum has a fixed summation order on every device.</summary>
    public static void Blocks(Index1D block, ArrayView<double> sums, MonteCarloSpec spec)
    {
        MonteCarloPath.BlockSums(spec, block.X, out var sum, out var sumOfSquares);
        sums[2 * block.X] = sum;
        sums[2 * block.X + 1] = sumOfSquares;
    }
}
