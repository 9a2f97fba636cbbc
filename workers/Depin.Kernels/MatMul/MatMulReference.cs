namespace Depin.Kernels.MatMul;

/// <summary>Plain C# matmul, float32 accumulation in increasing k, the order the tiled kernel uses.</summary>
public static class MatMulReference
{
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, MatMulShape shape)
    {
        for (var i = 0; i < shape.M; i++)
        {
            var row = a.Slice(i * shape.K, shape.K);
            for (var j = 0; j < shape.N; j++)
            {
                var acc = 0.0f;
                for (var k = 0; k < shape.K; k++)
                {
                    acc += row[k] * b[k * shape.N + j];
                }

                c[i * shape.N + j] = acc;
            }
        }
    }
}
