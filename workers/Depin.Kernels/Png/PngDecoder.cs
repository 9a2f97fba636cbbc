using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Depin.Kernels.Png;

/// <summary>
/// Decoder for the PNGs this platform produces: 8-bit RGB, not interlaced, any of the five row filters.
/// Every chunk CRC is checked; malformed input raises <see cref="InvalidDataException"/>.
/// </summary>
public static class PngDecoder
{
    public const int MaxPixels = 1 << 26;

    public static PngImage Decode(ReadOnlySpan<byte> png)
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(PngEncoder.Signature))
        {
            throw new InvalidDataException("not a PNG: bad signature");
        }

        var chunks = new List<PngChunk>();
        using var idat = new MemoryStream();
        var position = 8;
        while (position < png.Length)
        {
            if (png.Length - position < 12)
            {
                throw new InvalidDataException("truncated chunk");
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(png[position..]);
            if (length < 0 || length > png.Length - position - 12)
            {
                throw new InvalidDataException("chunk length out of range");
            }

            var typeAndData = png.Slice(position + 4, 4 + length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png[(position + 8 + length)..]);
            if (Crc32.Compute(typeAndData) != crc)
            {
                throw new InvalidDataException($"CRC mismatch in chunk at offset {position}");
            }

            var chunk = new PngChunk(Encoding.ASCII.GetString(typeAndData[..4]), typeAndData[4..].ToArray());
            chunks.Add(chunk);
            if (chunk.Type == "IDAT")
            {
                idat.Write(chunk.Data);
            }

            position += 12 + length;
            if (chunk.Type == "IEND")
            {
                break;
            }
        }

        if (chunks.Count == 0 || chunks[0].Type != "IHDR" || chunks[0].Data.Length != 13 || chunks[^1].Type != "IEND")
        {
            throw new InvalidDataException("PNG must start with IHDR and end with IEND");
        }

        var header = chunks[0].Data;
        var width = BinaryPrimitives.ReadInt32BigEndian(header);
        var height = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        if (header[8] != 8 || header[9] != 2 || header[10] != 0 || header[11] != 0 || header[12] != 0)
        {
            throw new InvalidDataException("only 8-bit RGB, deflate, non-interlaced PNGs are supported");
        }

        if (width < 1 || height < 1 || (long)width * height > MaxPixels)
        {
            throw new InvalidDataException($"unsupported image size {width}x{height}");
        }

        idat.Position = 0;
        var rgb = Unfilter(Inflate(idat, (long)height * (1 + width * 3)), width, height);
        return new PngImage(width, height, rgb, chunks);
    }

    public static byte[] ZlibDecompress(ReadOnlySpan<byte> data, long expectedLength)
    {
        using var input = new MemoryStream(data.ToArray());
        return Inflate(input, expectedLength);
    }

    private static byte[] Inflate(Stream compressed, long expectedLength)
    {
        var raw = new byte[expectedLength];
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        zlib.ReadExactly(raw);
        if (zlib.ReadByte() != -1)
        {
            throw new InvalidDataException("compressed data is longer than expected");
        }

        return raw;
    }

    private static byte[] Unfilter(byte[] raw, int width, int height)
    {
        const int bytesPerPixel = 3;
        var stride = width * bytesPerPixel;
        var rgb = new byte[(long)stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var source = raw.AsSpan(y * (stride + 1) + 1, stride);
            var row = rgb.AsSpan(y * stride, stride);
            var previous = y > 0 ? rgb.AsSpan((y - 1) * stride, stride) : default;
            for (var i = 0; i < stride; i++)
            {
                int left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                int up = y > 0 ? previous[i] : 0;
                int upLeft = y > 0 && i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"unknown row filter {filter}"),
                };
                row[i] = (byte)(source[i] + predictor);
            }
        }

        return rgb;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
