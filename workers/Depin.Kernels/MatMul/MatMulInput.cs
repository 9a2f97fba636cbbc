using System.Runtime.InteropServices;
using Depin.Kernels.Random;

namespace Depin.Kernels.MatMul;

/// <summary>The A and B operands of a job: from the input bytes when supplied, otherwise generated from the seed.</summary>
public static class MatMulInput
{
    /// <summary>Element i of matrix <paramref name="matrix"/> (0 = A, 1 = B) is <see cref="CounterHash.UnitFloat"/>(seed, matrix, i).</summary>
    public static float[] Generate(long elements, ulong seed, ulong matrix)
    {
        var values = new float[elements];
        for (var i = 0L; i < values.LongLength; i++)
        {
            values[i] = CounterHash.UnitFloat(seed, matrix, (ulong)i);
        }

        return values;
    }

    /// <summary>Bytes the input must have when supplied: A then B, little-endian float32.</summary>
    public static long InputBytes(MatMulShape shape) => (shape.ElementsA + shape.ElementsB) * sizeof(float);

    public static (float[] A, float[] B) Resolve(MatMulParameters parameters, ReadOnlySpan<byte> input)
    {
        var shape = parameters.Shape;
        if (input.IsEmpty)
        {
            return (Generate(shape.ElementsA, parameters.Seed, 0), Generate(shape.ElementsB, parameters.Seed, 1));
        }

        if (input.Length != InputBytes(shape))
        {
            throw new ArgumentException($"matmul input must be {InputBytes(shape)} bytes (A then B as float32), was {input.Length}", nameof(input));
        }

        var floats = MemoryMarshal.Cast<byte, float>(input);
        return (floats[..(int)shape.ElementsA].ToArray(), floats[(int)shape.ElementsA..].ToArray());
    }
}
