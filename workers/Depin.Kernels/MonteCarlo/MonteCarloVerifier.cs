namespace Depin.Kernels.MonteCarlo;

/// <summary>
/// Checks a Monte Carlo result: its price and error follow from its block sums; a random sample of blocks matches the
/// reference within <see cref="RelativeTolerance"/> (math libraries differ in the last ulp between CPU and GPU);
/// and the price lies within <see cref="StandardErrors"/> standard errors of the Black-Scholes price.
/// </summary>
public sealed class MonteCarloVerifier(int sampleBlocks = 16, double relativeTolerance = 1e-9, double standardErrors = 6)
{
    public int SampleBlocks { get; } = sampleBlocks > 0 ? sampleBlocks : throw new ArgumentOutOfRangeException(nameof(sampleBlocks));

    public double RelativeTolerance { get; } = relativeTolerance;

    public double StandardErrors { get; } = standardErrors;

    public VerificationOutcome Verify(MonteCarloParameters parameters, ReadOnlySpan<byte> result, System.Random random)
    {
        var claimed = MonteCarloResult.TryParse(result);
        if (claimed is null || claimed.BlockCount != parameters.Blocks)
        {
            return VerificationOutcome.Rejected($"result must hold a header and {parameters.Blocks} block sums");
        }

        var derived = MonteCarloResult.FromBlockSums(parameters, claimed.BlockSums);
        if (!Close(derived.Price, claimed.Price, 1e-12) || !Close(derived.StandardError, claimed.StandardError, 1e-12))
        {
            return VerificationOutcome.Rejected("price or standard error does not follow from the block sums");
        }

        var samples = Math.Min(SampleBlocks, parameters.Blocks);
        var blocks = samples == parameters.Blocks
            ? Enumerable.Range(0, samples).ToArray()
            : random.GetItems(Enumerable.Range(0, parameters.Blocks).ToArray(), samples);
        foreach (var block in blocks)
        {
            MonteCarloReference.BlockSums(parameters, block, out var sum, out var sumOfSquares);
            if (!Close(sum, claimed.BlockSums[2 * block], RelativeTolerance) || !Close(sumOfSquares, claimed.BlockSums[2 * block + 1], RelativeTolerance))
            {
                return VerificationOutcome.Rejected($"block {block} sums differ from the reference");
            }
        }

        var exact = BlackScholes.Price(parameters.IsCall, parameters.S0, parameters.Strike, parameters.Rate, parameters.Sigma, parameters.Maturity);
        var allowed = StandardErrors * claimed.StandardError + 1e-9 * parameters.S0;
        return Math.Abs(claimed.Price - exact) <= allowed
            ? VerificationOutcome.Accepted
            : VerificationOutcome.Rejected($"price {claimed.Price:G6} is more than {StandardErrors} standard errors from Black-Scholes {exact:G6}");
    }

    internal static bool Close(double expected, double actual, double relative) =>
        Math.Abs(expected - actual) <= relative * Math.Max(Math.Abs(expected), Math.Abs(actual));
}
