namespace Depin.Kernels.Mandelbrot;

/// <summary>
/// Checks a rendered tile: the PNG decodes with valid CRCs and the requested size, every pixel's colour is the palette
/// colour of its count, and a random sample of counts matches the reference. Counts are float64 on every device, but a
/// GPU compiler may fuse multiply-adds, which can move points near the set's boundary; so a sampled count may differ
/// by ±1, and up to <see cref="MaxOutlierFraction"/> of the samples by more.
/// </summary>
public sealed class MandelbrotVerifier(int samples = 256, double maxOutlierFraction = 0.02)
{
    public int Samples { get; } = samples > 0 ? samples : throw new ArgumentOutOfRangeException(nameof(samples));

    public double MaxOutlierFraction { get; } = maxOutlierFraction;

    public VerificationOutcome Verify(MandelbrotParameters parameters, ReadOnlySpan<byte> result, System.Random random)
    {
        Png.PngImage image;
        int[] counts;
        try
        {
            (image, counts) = MandelbrotResult.Decode(result);
        }
        catch (InvalidDataException ex)
        {
            return VerificationOutcome.Rejected("result is not a valid tile PNG: " + ex.Message);
        }

        if (image.Width != parameters.Width || image.Height != parameters.Height)
        {
            return VerificationOutcome.Rejected($"image is {image.Width}x{image.Height}, expected {parameters.Width}x{parameters.Height}");
        }

        Span<byte> expected = stackalloc byte[3];
        for (var i = 0; i < counts.Length; i++)
        {
            if ((uint)counts[i] > (uint)parameters.MaxIterations)
            {
                return VerificationOutcome.Rejected($"pixel {i} has count {counts[i]} outside 0..{parameters.MaxIterations}");
            }

            MandelbrotPalette.Write(counts[i], parameters.MaxIterations, expected);
            if (!expected.SequenceEqual(image.Rgb.AsSpan(i * 3, 3)))
            {
                return VerificationOutcome.Rejected($"pixel {i} colour does not match its iteration count");
            }
        }

        var total = (long)parameters.Width * parameters.Height;
        var sampled = (int)Math.Min(Samples, total);
        var allowedOutliers = (int)(sampled * MaxOutlierFraction);
        var outliers = 0;
        for (var s = 0; s < sampled; s++)
        {
            var pixel = sampled == total ? s : random.NextInt64(total);
            var x = (int)(pixel % parameters.Width);
            var y = (int)(pixel / parameters.Width);
            var reference = MandelbrotReference.Pixel(parameters, x, y);
            if (Math.Abs(reference - counts[pixel]) > 1 && ++outliers > allowedOutliers)
            {
                return VerificationOutcome.Rejected($"pixel ({x},{y}) has count {counts[pixel]}, reference {reference}");
            }
        }

        return VerificationOutcome.Accepted;
    }
}
