namespace Depin.Kernels.Mandelbrot;

/// <summary>
/// JSON: <c>{"width":…, "height":…, "centerX":-0.5, "centerY":0, "spanX":3, "maxIterations":…}</c>.
/// <c>spanX</c> is the width of the view in the complex plane; pixels are square, so the height follows.
/// </summary>
public sealed record MandelbrotParameters : IKernelParameters
{
    public const int MaxSide = 8192;
    public const int MaxIterationsLimit = 1_000_000;

    public int Width { get; init; }

    public int Height { get; init; }

    public double CenterX { get; init; } = -0.5;

    public double CenterY { get; init; }

    public double SpanX { get; init; } = 3.0;

    public int MaxIterations { get; init; }

    public void Validate(List<ParameterError> errors)
    {
        ParameterRules.InRange(errors, "width", Width, 1, MaxSide);
        ParameterRules.InRange(errors, "height", Height, 1, MaxSide);
        if (!double.IsFinite(CenterX) || Math.Abs(CenterX) > 4)
        {
            errors.Add(new ParameterError("centerX", "must be between -4 and 4"));
        }

        if (!double.IsFinite(CenterY) || Math.Abs(CenterY) > 4)
        {
            errors.Add(new ParameterError("centerY", "must be between -4 and 4"));
        }

        if (!double.IsFinite(SpanX) || SpanX < 1e-13 || SpanX > 8)
        {
            errors.Add(new ParameterError("spanX", "must be between 1e-13 and 8"));
        }

        ParameterRules.InRange(errors, "maxIterations", MaxIterations, 1, MaxIterationsLimit);
    }

    internal MandelbrotSpec ToSpec() =>
        new(Width, Height, CenterX - 0.5 * (Width - 1) * (SpanX / Width), CenterY + 0.5 * (Height - 1) * (SpanX / Width), SpanX / Width, MaxIterations);
}
