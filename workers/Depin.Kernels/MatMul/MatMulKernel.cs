using System.Runtime.InteropServices;

namespace Depin.Kernels.MatMul;

/// <summary>
/// <c>matmul</c>: float32 C = A·B. Input: A then B, row-major little-endian float32, or empty to generate them from
/// <c>seed</c>. Result: C row-major little-endian float32 (M·N·4 bytes). Verified with Freivalds' algorithm.
/// </summary>
public sealed class MatMulKernel(FreivaldsVerifier? verifier = null) : Kernel<MatMulParameters>
{
    public const string KindName = "matmul";

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
}
