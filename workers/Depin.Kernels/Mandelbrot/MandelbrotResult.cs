using System.Runtime.InteropServices;
using Depin.Kernels.Png;

namespace Depin.Kernels.Mandelbrot;

/// <summary>
/// The result is an ordinary RGB PNG that also carries the iteration counts in a private ancillary chunk
/// <c>dpIt</c> (zlib-compressed little-endian int32, row-major). Viewers ignore the chunk; the verifier uses it.
/// </summary>
public static class MandelbrotResult
{
    public const string CountsChunk = "dpIt";

    public static byte[] Encode(MandelbrotParameters parameters, int[] counts)
    {
        var rgb = MandelbrotPalette.Colorize(counts, parameters.MaxIterations);
        var chunk = new PngChunk(CountsChunk, PngEncoder.ZlibCompress(MemoryMarshal.AsBytes(counts.AsSpan())));
        return PngEncoder.EncodeRgb(parameters.Width, parameters.Height, rgb, chunk);
    }

    /// <summary>Decodes the PNG and its counts; throws <see cref="InvalidDataException"/> when either is malformed.</summary>
    public static (PngImage Image, int[] Counts) Decode(ReadOnlySpan<byte> png)
    {
        var image = PngDecoder.Decode(png);
        var chunk = image.Find(CountsChunk) ?? throw new InvalidDataException($"missing {CountsChunk} chunk");
        var raw = PngDecoder.ZlibDecompress(chunk.Data, (long)image.Width * image.Height * sizeof(int));
        return (image, MemoryMarshal.Cast<byte, int>(raw).ToArray());
    }
}
