namespace Depin.Kernels.Mandelbrot;

/// <summary>
/// <c>mandelbrot</c>: render a tile's escape-time counts in float64 and colour them. No input bytes.
/// Result: a PNG with the counts embedded (<see cref="MandelbrotResult"/>). Verified by <see cref="MandelbrotVerifier"/>.
/// </summary>
public sealed class MandelbrotKernel(MandelbrotVerifier? verifier = null) : Kernel<MandelbrotParameters>
{
    public const string KindName = "mandelbrot";

    private readonly MandelbrotVerifier _verifier = verifier ?? new MandelbrotVerifier();

    public override string Kind => KindName;

    /// <summary>width · height · maxIterations (the worst case; interior points cost it all).</summary>
    public override long WorkUnits(MandelbrotParameters parameters) => (long)parameters.Width * parameters.Height * parameters.MaxIterations;

    public override long MinMemoryBytes(MandelbrotParameters parameters) => (long)parameters.Width * parameters.Height * sizeof(int);

    public override byte[] Run(ComputeDevice device, MandelbrotParameters parameters, ReadOnlySpan<byte> input) =>
        MandelbrotResult.Encode(parameters, device.Execute(MandelbrotAccelerated.Create, runner => runner.Render(parameters)));

    public override byte[] RunReference(MandelbrotParameters parameters, ReadOnlySpan<byte> input) =>
        MandelbrotResult.Encode(parameters, MandelbrotReference.Render(parameters));

    public override VerificationOutcome Verify(MandelbrotParameters parameters, ReadOnlySpan<byte> input, ReadOnlySpan<byte> result, System.Random random) =>
        _verifier.Verify(parameters, result, random);

    /// <summary>Every pixel's count within ±1 of the reference, but for the verifier's share of boundary outliers.</summary>
    public override VerificationOutcome MatchKnownAnswer(MandelbrotParameters parameters, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> result)
    {
        int[] counts, reference;
        try
        {
            (_, counts) = MandelbrotResult.Decode(result);
            (_, reference) = MandelbrotResult.Decode(expected);
        }
        catch (InvalidDataException ex)
        {
            return VerificationOutcome.Rejected("result is not a valid tile PNG: " + ex.Message);
        }

        if (counts.Length != reference.Length)
        {
            return VerificationOutcome.Rejected($"tile has {counts.Length} pixels, expected {reference.Length}");
        }

        var allowed = (long)(counts.Length * _verifier.MaxOutlierFraction);
        var outliers = 0L;
        for (var i = 0; i < counts.Length; i++)
        {
            if (Math.Abs((long)counts[i] - reference[i]) > 1 && ++outliers > allowed)
            {
                return VerificationOutcome.Rejected($"pixel ({i % parameters.Width},{i / parameters.Width}) has count {counts[i]}, reference {reference[i]}");
            }
        }

        return VerificationOutcome.Accepted;
    }
}
