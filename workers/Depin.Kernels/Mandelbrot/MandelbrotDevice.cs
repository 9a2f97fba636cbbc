using ILGPU;

namespace Depin.Kernels.Mandelbrot;

internal static class MandelbrotDevice
{
    public static void Render(Index2D pixel, ArrayView<int> counts, MandelbrotSpec spec) =>
        counts[pixel.Y * spec.Width + pixel.X] = MandelbrotMath.Iterations(spec, pixel.X, pixel.Y);
}
