namespace Depin.Kernels.Random;

/// <summary>Four 32-bit words: a Philox counter or its output block.</summary>
public readonly struct UInt4(uint x, uint y, uint z, uint w)
{
    public uint X { get; } = x;

    public uint Y { get; } = y;

    public uint Z { get; } = z;

    public uint W { get; } = w;
}

/// <summary>
/// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"): a counter-based generator, so
/// the n-th block depends only on (key, counter) and the CPU reference and every GPU thread draw the same numbers.
/// Written with plain integer operations so the same code compiles for ILGPU kernels.
/// </summary>
public static class Philox4x32
{
    private const uint M0 = 0xD2511F53;
    private const uint M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9;
    private const uint W1 = 0xBB67AE85;

    /// <summary>Ten rounds of Philox on <paramref name="counter"/> with the 64-bit key (k0, k1).</summary>
    public static UInt4 Generate(UInt4 counter, uint k0, uint k1)
    {
        uint c0 = counter.X, c1 = counter.Y, c2 = counter.Z, c3 = counter.W;
        for (var round = 0; round < 10; round++)
        {
            var p0 = (ulong)M0 * c0;
            var p1 = (ulong)M1 * c2;
            var hi0 = (uint)(p0 >> 32);
            var lo0 = (uint)p0;
            var hi1 = (uint)(p1 >> 32);
            var lo1 = (uint)p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }

        return new UInt4(c0, c1, c2, c3);
    }

    /// <summary>A double in (0, 1) from 53 bits of (hi, lo); never 0, so its logarithm is finite.</summary>
    public static double ToOpenUnitDouble(uint hi, uint lo)
    {
        var bits = ((ulong)hi << 21) ^ (lo >> 11);
        return (bits + 0.5) * (1.0 / 9007199254740992.0);
    }
}
