namespace Depin.Kernels.MatMul;

/// <summary>C (M×N) = A (M×K) · B (K×N), all row-major.</summary>
public readonly record struct MatMulShape(int M, int N, int K)
{
    public long ElementsA => (long)M * K;

    public long ElementsB => (long)K * N;

    public long ElementsC => (long)M * N;
}
