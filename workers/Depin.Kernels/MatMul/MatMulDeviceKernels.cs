using ILGPU;

namespace Depin.Kernels.MatMul;

internal static class MatMulDeviceKernels
{
    /// <summary>
    /// Shared-memory tiled product. The group is tile×tile threads and the dynamic shared memory holds one tile of A
    /// then one of B; out-of-range elements load as zero so edge groups need no separate path.
    /// </summary>
    public static void Tiled(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, MatMulShape shape)
    {
        var tile = Group.DimX;
        var tiles = SharedMemory.GetDynamic<float>();
        var tx = Group.IdxX;
        var ty = Group.IdxY;
        var col = Grid.IdxX * tile + tx;
        var row = Grid.IdxY * tile + ty;
        var bOffset = tile * tile;
        var acc = 0.0f;

        for (var t0 = 0; t0 < shape.K; t0 += tile)
        {
            var ak = t0 + tx;
            var bk = t0 + ty;
            tiles[ty * tile + tx] = row < shape.M && ak < shape.K ? a[row * shape.K + ak] : 0.0f;
            tiles[bOffset + ty * tile + tx] = bk < shape.K && col < shape.N ? b[bk * shape.N + col] : 0.0f;
            Group.Barrier();

            for (var k = 0; k < tile; k++)
            {
                acc += tiles[ty * tile + k] * tiles[bOffset + k * tile + tx];
            }

            Group.Barrier();
        }

        if (row < shape.M && col < shape.N)
        {
            c[row * shape.N + col] = acc;
        }
    }
}
