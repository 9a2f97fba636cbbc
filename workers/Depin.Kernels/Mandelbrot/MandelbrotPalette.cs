namespace Depin.Kernels.Mandelbrot;

/// <summary>Iteration count to colour: black inside the set, otherwise a 16-colour cycle (integer only, so exact everywhere).</summary>
public static class MandelbrotPalette
{
    private static readonly byte[] Colors =
    [
        66, 30, 15, 25, 7, 26, 9, 1, 47, 4, 4, 73, 0, 7, 100, 12, 44, 138, 24, 82, 177, 57, 125, 209,
        134, 181, 229, 211, 236, 248, 241, 233, 191, 248, 201, 95, 255, 170, 0, 204, 128, 0, 153, 87, 0, 106, 52, 3,
    ];

    public static void Write(int count, int maxIterations, Span<byte> rgb)
    {
        if (count >= maxIterations)
        {
            rgb[..3].Clear();
            return;
        }

        Colors.AsSpan(count % 16 * 3, 3).CopyTo(rgb);
    }

    public static byte[] Colorize(ReadOnlySpan<int> counts, int maxIterations)
    {
        var rgb = new byte[counts.Length * 3L];
        for (var i = 0; i < counts.Length; i++)
        {
            Write(counts[i], maxIterations, rgb.AsSpan(i * 3, 3));
        }

        return rgb;
    }
}
