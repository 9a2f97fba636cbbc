using Depin.Kernels.Random;

namespace Depin.Kernels.MonteCarlo;

/// <summary>
/// One GBM path and its payoff, compiled both for ILGPU kernels and for the reference. Each Philox block
/// (counter = step pair, path low, path high, 0) gives two 53-bit uniforms and, by Box-Muller, two normals.
/// Steps are exact log-normal increments, so there is no discretization bias.
/// </summary>
internal static class MonteCarloPath
{
    public static double Payoff(in MonteCarloSpec spec, long path)
    {
        var logS = spec.LogS0;
        for (var step = 0; step < spec.Steps; step += 2)
        {
            var r = Philox4x32.Generate(new UInt4((uint)(step >> 1), (uint)path, (uint)(path >> 32), 0), spec.Key0, spec.Key1);
            var u1 = Philox4x32.ToOpenUnitDouble(r.X, r.Y);
            var u2 = Philox4x32.ToOpenUnitDouble(r.Z, r.W);
            var radius = Math.Sqrt(-2.0 * Math.Log(u1));
            var angle = 2.0 * Math.PI * u2;
            logS += spec.Drift + spec.Volatility * (radius * Math.Cos(angle));
            if (step + 1 < spec.Steps)
            {
                logS += spec.Drift + spec.Volatility * (radius * Math.Sin(angle));
            }
        }

        var terminal = Math.Exp(logS);
        var intrinsic = spec.IsCall != 0 ? terminal - spec.Strike : spec.Strike - terminal;
        return intrinsic > 0.0 ? intrinsic : 0.0;
    }

    /// <summary>Sum and sum of squares of the payoffs of block <paramref name="block"/>, in path order.</summary>
    public static void BlockSums(in MonteCarloSpec spec, long block, out double sum, out double sumOfSquares)
    {
        var first = block * spec.PathsPerBlock;
        var end = first + spec.PathsPerBlock < spec.Paths ? first + spec.PathsPerBlock : spec.Paths;
        sum = 0.0;
        sumOfSquares = 0.0;
        for (var path = first; path < end; path++)
        {
            var payoff = Payoff(spec, path);
            sum += payoff;
            sumOfSquares += payoff * payoff;
        }
    }
}
