using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;

namespace Depin.ServiceDefaults.Storage;

/// <summary>CRC-32C (Castagnoli), hardware-accelerated with SSE4.2 where available.</summary>
public static class Crc32C
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The start value of <see cref="Update"/>.</summary>
    public const uint Initial = 0xFFFFFFFFu;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Initial, data));

    /// <summary>The final CRC of a running <see cref="Update"/> value.</summary>
    public static uint Finish(uint running) => ~running;

    /// <summary>Continues a running CRC over more bytes: Finish(Update(Update(Initial, a), b)) == Compute(a ‖ b).</summary>
    public static uint Update(uint running, ReadOnlySpan<byte> data)
    {
        var crc = running;
        if (Sse42.X64.IsSupported)
        {
            ulong wide = crc;
            while (data.Length >= 8)
            {
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }

            crc = (uint)wide;
            foreach (var b in data)
            {
                crc = Sse42.Crc32(crc, b);
            }
        }
        else
        {
            foreach (var b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
