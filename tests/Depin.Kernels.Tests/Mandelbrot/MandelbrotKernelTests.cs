using Depin.Kernels.Mandelbrot;
using Depin.Kernels.Png;

namespace Depin.Kernels.Tests.Mandelbrot;

[Collection(CpuDeviceCollection.Name)]
public sealed class MandelbrotKernelTests(CpuDeviceFixture fixture)
{
    private static readonly System.Text.Json.JsonElement OddTile = Json.Parse(
        """{"width":33,"height":17,"centerX":-0.75,"centerY":0.1,"spanX":2.5,"maxIterations":200}""");

    private readonly MandelbrotKernel _kernel = new();

    [Fact]
    public void Kernel_on_cpu_accelerator_gives_exactly_the_reference_counts()
    {
        var expected = MandelbrotResult.Decode(_kernel.RunReference(OddTile, default)).Counts;

        var (image, actual) = MandelbrotResult.Decode(_kernel.Run(fixture.Device, OddTile, default));

        Assert.Equal((33, 17), (image.Width, image.Height));
        Assert.Equal(expected, actual);
        Assert.Contains(200, actual);
        Assert.Contains(actual, c => c < 5);
    }

    [Fact]
    public void Verifier_accepts_the_correct_tile()
    {
        var result = _kernel.Run(fixture.Device, OddTile, default);

        var outcome = _kernel.Verify(OddTile, default, result, new System.Random(1));

        Assert.True(outcome.Ok, outcome.Reason);
    }

    [Fact]
    public void Tile_with_wrong_counts_and_matching_colours_is_rejected()
    {
        var parameters = MandelbrotKernel.Parse(OddTile);
        var counts = MandelbrotReference.Render(parameters);
        for (var i = 0; i < counts.Length; i += 2)
        {
            counts[i] = Math.Max(0, counts[i] - 3);
        }

        var outcome = _kernel.Verify(OddTile, default, MandelbrotResult.Encode(parameters, counts), new System.Random(1));

        Assert.False(outcome.Ok);
        Assert.Contains("reference", outcome.Reason);
    }

    [Fact]
    public void Tile_whose_colours_disagree_with_its_counts_is_rejected()
    {
        var parameters = MandelbrotKernel.Parse(OddTile);
        var (image, counts) = MandelbrotResult.Decode(_kernel.RunReference(OddTile, default));
        var rgb = image.Rgb.ToArray();
        rgb[3 * 100] ^= 0x40;
        var chunk = image.Find(MandelbrotResult.CountsChunk)!;
        var forged = PngEncoder.EncodeRgb(parameters.Width, parameters.Height, rgb, chunk);

        var outcome = _kernel.Verify(OddTile, default, forged, new System.Random(1));

        Assert.False(outcome.Ok);
        Assert.Contains("pixel 100 colour", outcome.Reason);
        Assert.Equal(33 * 17, counts.Length);
    }

    [Fact]
    public void Corrupted_png_bytes_are_rejected()
    {
        var result = _kernel.RunReference(OddTile, default);
        result[40] ^= 0xFF;

        var outcome = _kernel.Verify(OddTile, default, result, new System.Random(1));

        Assert.False(outcome.Ok);
        Assert.Contains("CRC", outcome.Reason);
    }

    [Fact]
    public void Tile_of_the_wrong_size_is_rejected()
    {
        var other = _kernel.RunReference(Json.Parse("""{"width":17,"height":33,"maxIterations":200}"""), default);

        Assert.False(_kernel.Verify(OddTile, default, other, new System.Random(1)).Ok);
    }

    [Fact]
    public void Work_units_are_width_height_max_iterations()
    {
        Assert.Equal(33L * 17 * 200, _kernel.WorkUnits(OddTile));
    }

    [Theory]
    [InlineData("""{"width":0,"height":17,"maxIterations":10}""", "width")]
    [InlineData("""{"width":3,"height":8193,"maxIterations":10}""", "height")]
    [InlineData("""{"width":3,"height":3,"maxIterations":0}""", "maxIterations")]
    [InlineData("""{"width":3,"height":3,"maxIterations":10,"spanX":0}""", "spanX")]
    [InlineData("""{"width":3,"height":3,"maxIterations":10,"centerX":9}""", "centerX")]
    public void Validation_names_the_bad_field(string json, string field)
    {
        var error = Assert.Single(_kernel.Validate(Json.Parse(json)));

        Assert.Equal(field, error.Field);
    }
}
