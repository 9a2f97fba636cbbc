namespace Depin.Kernels.MatMul;

/// <summary>JSON: <c>{"m":…, "n":…, "k":…, "seed":…}</c>. The seed generates A and B when the job has no input bytes.</summary>
public sealed record MatMulParameters : IKernelParameters
{
    public const int MaxDimension = 16384;

    public int M { get; init; }

    public int N { get; init; }

    public int K { get; init; }

    public ulong Seed { get; init; }

    public MatMulShape Shape => new(M, N, K);

    public void Validate(List<ParameterError> errors)
    {
        ParameterRules.InRange(errors, "m", M, 1, MaxDimension);
        ParameterRules.InRange(errors, "n", N, 1, MaxDimension);
        ParameterRules.InRange(errors, "k", K, 1, MaxDimension);
    }
}
