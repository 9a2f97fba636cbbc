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
}
