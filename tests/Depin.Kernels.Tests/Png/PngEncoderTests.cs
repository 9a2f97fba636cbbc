using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Depin.Kernels.Png;

namespace Depin.Kernels.Tests.Png;

public sealed class PngEncoderTests
{
    private static byte[] Pixels(int width, int height) =>
        Enumerable.Range(0, width * height * 3).Select(i => (byte)(i * 31 % 251)).ToArray();

    [Fact]
    public void Output_starts_with_the_png_signature_and_an_ihdr_for_8_bit_rgb()
    {
        var png = PngEncoder.EncodeRgb(5, 3, Pixels(5, 3));

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(8)));
        Assert.Equal("IHDR", Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(5, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, png[24..29]);
    }

    [Fact]
    public void Every_chunk_crc_is_the_crc_of_its_type_and_data()
    {
        var png = PngEncoder.EncodeRgb(7, 4, Pixels(7, 4), new PngChunk("tEXt", Encoding.ASCII.GetBytes("k\0v")));
        var types = new List<string>();

        for (var position = 8; position < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position + 8 + length));
            Assert.Equal(crc, Crc32.Compute(png.AsSpan(position + 4, 4 + length)));
            types.Add(Encoding.ASCII.GetString(png, position + 4, 4));
            position += 12 + length;
        }

        Assert.Equal(["IHDR", "IDAT", "tEXt", "IEND"], types);
    }

    [Fact]
    public void Idat_inflates_to_filter_zero_rows_of_the_pixels()
    {
        var pixels = Pixels(3, 2);
        var png = PngEncoder.EncodeRgb(3, 2, pixels);
        var idat = PngDecoder.Decode(png).Find("IDAT")!.Data;

        using var zlib = new ZLibStream(new MemoryStream(idat), CompressionMode.Decompress);
        var raw = new byte[2 * (1 + 9)];
        zlib.ReadExactly(raw);

        Assert.Equal(0, raw[0]);
        Assert.Equal(pixels[..9], raw[1..10]);
        Assert.Equal(0, raw[10]);
        Assert.Equal(pixels[9..], raw[11..]);
        Assert.Equal(-1, zlib.ReadByte());
    }

    [Fact]
    public void Decoder_round_trips_the_pixels_and_extra_chunks()
    {
        var pixels = Pixels(33, 17);
        var extra = new PngChunk("dpIt", [1, 2, 3]);

        var image = PngDecoder.Decode(PngEncoder.EncodeRgb(33, 17, pixels, extra));

        Assert.Equal((33, 17), (image.Width, image.Height));
        Assert.Equal(pixels, image.Rgb);
        Assert.Equal(new byte[] { 1, 2, 3 }, image.Find("dpIt")!.Data);
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8));
    }

    [Fact]
    public void Decoder_rejects_a_corrupted_chunk()
    {
        var png = PngEncoder.EncodeRgb(5, 3, Pixels(5, 3));
        png[png.Length - 20] ^= 1;

        Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png));
    }
}
