namespace Depin.Kernels.Mandelbrot;

/// <summary>Sequential C# rendering of iteration counts, row-major.</summary>
public static class MandelbrotReference
{
    public static int[] Render(MandelbrotParameters parameters)
    {
        var spec = parameters.ToSpec();
        var counts = new int[(long)parameters.Width * parameters.Height];
        for (var y = 0; y < parameters.Height; y++)
        {
            for (var x = 0; x < parameters.Width; x++)
            {
                counts[y * parameters.Width + x] = MandelbrotMath.Iterations(spec, x, y);
            }
        }

        return counts;
    }

    public static int Pixel(MandelbrotParameters parameters, int x, int y) => MandelbrotMath.Iterations(parameters.ToSpec(), x, y);
}
