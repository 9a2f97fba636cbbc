namespace Depin.Kernels.MonteCarlo;

/// <summary>
/// <c>montecarlo</c>: European option price under GBM with Philox4x32-10 normals. No input bytes.
/// Result: <see cref="MonteCarloResult"/>. Verified by <see cref="MonteCarloVerifier"/>.
/// </summary>
public sealed class MonteCarloKernel(MonteCarloVerifier? verifier = null) : Kernel<MonteCarloParameters>
{
    public const string KindName = "montecarlo";

    private readonly MonteCarloVerifier _verifier = verifier ?? new MonteCarloVerifier();

    public override string Kind => KindName;

    /// <summary>paths · steps.</summary>
    public override long WorkUnits(MonteCarloParameters parameters) => parameters.Paths * parameters.Steps;

    public override long MinMemoryBytes(MonteCarloParameters parameters) => 16L * parameters.Blocks;

    public override byte[] Run(ComputeDevice device, MonteCarloParameters parameters, ReadOnlySpan<byte> input)
    {
        var sums = device.Execute(MonteCarloAccelerated.Create, runner => runner.BlockSums(parameters));
        return MonteCarloResult.FromBlockSums(parameters, sums).ToBytes();
    }

    public override byte[] RunReference(MonteCarloParameters parameters, ReadOnlySpan<byte> input) =>
        MonteCarloResult.FromBlockSums(parameters, MonteCarloReference.BlockSums(parameters)).ToBytes();

    public override VerificationOutcome Verify(MonteCarloParameters parameters, ReadOnlySpan<byte> input, ReadOnlySpan<byte> result, System.Random random) =>
        _verifier.Verify(parameters, result, random);

    /// <summary>Every block sum within the verifier's relative tolerance of the reference (not only the sampled ones).</summary>
    public override VerificationOutcome MatchKnownAnswer(MonteCarloParameters parameters, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> result)
    {
        var claimed = MonteCarloResult.TryParse(result);
        var known = MonteCarloResult.TryParse(expected);
        if (claimed is null || known is null || claimed.BlockSums.Length != known.BlockSums.Length)
        {
            return VerificationOutcome.Rejected($"result must hold a header and {parameters.Blocks} block sums");
        }

        for (var i = 0; i < known.BlockSums.Length; i++)
        {
            if (!MonteCarloVerifier.Close(known.BlockSums[i], claimed.BlockSums[i], _verifier.RelativeTolerance))
            {
                return VerificationOutcome.Rejected($"block {i / 2} sums differ from the reference");
            }
        }

        return MonteCarloVerifier.Close(known.Price, claimed.Price, 1e-9)
            ? VerificationOutcome.Accepted
            : VerificationOutcome.Rejected($"price {claimed.Price:G9} differs from the reference {known.Price:G9}");
    }
}
