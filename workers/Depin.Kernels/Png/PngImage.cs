namespace Depin.Kernels.Png;

/// <summary>A decoded 8-bit RGB image with every chunk of its file (IHDR, IDAT, ancillary, IEND), in file order.</summary>
public sealed record PngImage(int Width, int Height, byte[] Rgb, IReadOnlyList<PngChunk> Chunks)
{
    public PngChunk? Find(string type) => Chunks.FirstOrDefault(c => c.Type == type);
}
