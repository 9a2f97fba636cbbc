namespace Depin.Kernels.Mandelbrot;

/// <summary>Pixel (x, y) maps to c = (Left + x·Step, Top − y·Step); computed in float64 on every device.</summary>
internal readonly record struct MandelbrotSpec(int Width, int Height, double Left, double Top, double Step, int MaxIterations);
