namespace Depin.Kernels.Mandelbrot;

/// <summary>Escape-time iteration shared by the kernel and the reference, so both do identical float64 arithmetic.</summary>
internal static class MandelbrotMath
{
    /// <summary>Iterations before |z| exceeds 2, or <c>MaxIterations</c> for points taken to be inside the set.</summary>
    public static int Iterations(in MandelbrotSpec spec, int x, int y)
    {
        var cx = spec.Left + x * spec.Step;
        var cy = spec.Top - y * spec.Step;
        double zx = 0, zy = 0;
        var i = 0;
        for (; i < spec.MaxIterations; i++)
        {
            var x2 = zx * zx;
            var y2 = zy * zy;
            if (x2 + y2 > 4.0)
            {
                break;
            }

            zy = 2.0 * zx * zy + cy;
            zx = x2 - y2 + cx;
        }

        return i;
    }
}
