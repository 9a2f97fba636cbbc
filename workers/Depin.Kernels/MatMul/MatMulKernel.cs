using System.Runtime.InteropServices;

namespace Depin.Kernels.MatMul;

/// <summary>
/// <c>matmul</c>: float32 C = A·B. Input: A then B, row-major little-endian float32, or empty to generate them from
/// <c>seed</c>. Result: C row-major little-endian float32 (M·N·4 bytes). Verified with Freivalds' algorithm.
/// </summary>
public sealed class MatMulKernel(FreivaldsVerifier? verifier = null) : Kernel<MatMulParameters>
{
    public const string KindName = "matmul";

    /// <summary>
    /// Known-answer tolerance, relative to 1 + |reference|: float32 dot products summed in another order (tiles, fused
    /// multiply-adds) move an element by a few ulps of its row's magnitudes; a skipped product or tile moves it by far more.
    /// </summary>
    public const float KnownAnswerTolerance = 1e-3f;

    private readonly FreivaldsVerifier _verifier = verifier ?? new FreivaldsVerifier();

    public override string Kind => KindName;

    /// <summary>2·M·N·K floating-point operations.</summary>
    public override long WorkUnits(MatMulParameters parameters) => 2L * parameters.M * parameters.N * parameters.K;

    public override long MinMemoryBytes(MatMulParameters parameters)
    {
        var shape = parameters.Shape;
        return (shape.ElementsA + shape.ElementsB + shape.ElementsC) * sizeof(float);
    }

    public override byte[] Run(ComputeDevice device, MatMulParameters parameters, ReadOnlySpan<byte> input)
    {
        var (a, b) = MatMulInput.Resolve(parameters, input);
        var c = new float[parameters.Shape.ElementsC];
        device.Execute(MatMulAccelerated.Create, runner => runner.Multiply(a, b, c, parameters.Shape));
        return MemoryMarshal.AsBytes(c.AsSpan()).ToArray();
    }

    public override byte[] RunReference(MatMulParameters parameters, ReadOnlySpan<byte> input)
    {
        var (a, b) = MatMulInput.Resolve(parameters, input);
        var c = new float[parameters.Shape.ElementsC];
        MatMulReference.Multiply(a, b, c, parameters.Shape);
        return MemoryMarshal.AsBytes(c.AsSpan()).ToArray();
    }

    public override VerificationOutcome Verify(MatMulParameters parameters, ReadOnlySpan<byte> input, ReadOnlySpan<byte> result, System.Random random)
    {
        if (result.Length != parameters.Shape.ElementsC * sizeof(float))
        {
            return VerificationOutcome.Rejected($"result must be {parameters.Shape.ElementsC * sizeof(float)} bytes, was {result.Length}");
        }

        var (a, b) = MatMulInput.Resolve(parameters, input);
        return _verifier.Verify(a, b, MemoryMarshal.Cast<byte, float>(result), parameters.Shape, random);
    }

    /// <summary>Every element within <see cref="KnownAnswerTolerance"/> of the reference, relative to 1 + |reference| (float32 sums in another order).</summary>
    public override VerificationOutcome MatchKnownAnswer(MatMulParameters parameters, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> result)
    {
        var size = parameters.Shape.ElementsC * sizeof(float);
        if (result.Length != size || expected.Length != size)
        {
            return VerificationOutcome.Rejected($"result must be {size} bytes, was {result.Length}");
        }

        var c = MemoryMarshal.Cast<byte, float>(result);
        var reference = MemoryMarshal.Cast<byte, float>(expected);
        for (var i = 0; i < c.Length; i++)
        {
            if (!(Math.Abs(c[i] - reference[i]) <= KnownAnswerTolerance * (1 + Math.Abs(reference[i]))))
            {
                return VerificationOutcome.Rejected($"C[{i / parameters.N},{i % parameters.N}] is {c[i]}, reference {reference[i]}");
            }
        }

        return VerificationOutcome.Accepted;
    }
}
