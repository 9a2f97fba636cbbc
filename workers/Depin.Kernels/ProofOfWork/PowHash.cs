using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Depin.Kernels.ProofOfWork;

/// <summary>The proof-of-work hash and its difficulty test, with the platform's SHA-256.</summary>
public static class PowHash
{
    public static byte[] Hash(ReadOnlySpan<byte> challenge, ulong nonce)
    {
        Span<byte> message = stackalloc byte[challenge.Length + sizeof(ulong)];
        challenge.CopyTo(message);
        BinaryPrimitives.WriteUInt64LittleEndian(message[challenge.Length..], nonce);
        return SHA256.HashData(message);
    }

    public static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var bits = 0;
        foreach (var b in hash)
        {
            if (b != 0)
            {
                return bits + System.Numerics.BitOperations.LeadingZeroCount((uint)b) - 24;
            }

            bits += 8;
        }

        return bits;
    }
}
