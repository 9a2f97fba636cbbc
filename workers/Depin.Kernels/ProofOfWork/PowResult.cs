using System.Buffers.Binary;

namespace Depin.Kernels.ProofOfWork;

/// <summary>
/// Result bytes (41): status (1 = found, 0 = budget exhausted), nonce as little-endian u64, SHA-256(challenge ‖ nonce).
/// </summary>
public readonly record struct PowResult(bool Found, ulong Nonce, byte[] Hash)
{
    public const int Size = 1 + 8 + 32;

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        bytes[0] = Found ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(1), Nonce);
        Hash.CopyTo(bytes, 9);
        return bytes;
    }

    public static bool TryParse(ReadOnlySpan<byte> bytes, out PowResult result)
    {
        result = default;
        if (bytes.Length != Size || bytes[0] > 1)
        {
            return false;
        }

        result = new PowResult(bytes[0] == 1, BinaryPrimitives.ReadUInt64LittleEndian(bytes[1..]), bytes[9..].ToArray());
        return true;
    }
}
