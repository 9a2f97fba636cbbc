namespace Depin.Kernels.MonteCarlo;

/// <summary>Sequential C# evaluation of every block, the same arithmetic as the kernel.</summary>
public static class MonteCarloReference
{
    public static double[] BlockSums(MonteCarloParameters parameters)
    {
        var spec = parameters.ToSpec();
        var sums = new double[2L * parameters.Blocks];
        for (var block = 0; block < parameters.Blocks; block++)
        {
            MonteCarloPath.BlockSums(spec, block, out sums[2 * block], out sums[2 * block + 1]);
        }

        return sums;
    }

    public static void BlockSums(MonteCarloParameters parameters, int block, out double sum, out double sumOfSquares) =>
        MonteCarloPath.BlockSums(parameters.ToSpec(), block, out sum, out sumOfSquares);
}
