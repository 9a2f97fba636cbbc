using System.Buffers.Binary;

namespace Depin.Kernels.ProofOfWork;

/// <summary>
/// The padded message challenge ‖ nonce(8 bytes) ‖ padding, prepared for the kernel: blocks before the nonce are
/// compressed on the host into a midstate; the rest is a template of big-endian words with zero where the nonce goes.
/// </summary>
internal sealed class Sha256Message
{
    public static readonly uint[] RoundConstants =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private static readonly uint[] InitialState =
    [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];

    public Sha256Message(ReadOnlySpan<byte> challenge)
    {
        var length = challenge.Length + sizeof(ulong);
        var blocks = (length + 8 + 64) / 64;
        var padded = new byte[blocks * 64];
        challenge.CopyTo(padded);
        padded[length] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(padded.AsSpan(padded.Length - 8), (ulong)length * 8);

        var skipped = challenge.Length / 64;
        Midstate = [.. InitialState];
        var block = new uint[16];
        for (var b = 0; b < skipped; b++)
        {
            ReadWords(padded.AsSpan(b * 64, 64), block);
            Compress(Midstate, block);
        }

        RemainingBlocks = blocks - skipped;
        NonceOffset = challenge.Length - skipped * 64;
        Template = new uint[32];
        ReadWords(padded.AsSpan(skipped * 64), Template.AsSpan(0, RemainingBlocks * 16));
    }

    public uint[] Midstate { get; }

    public uint[] Template { get; }

    public int RemainingBlocks { get; }

    /// <summary>Byte offset of the nonce within the remaining blocks.</summary>
    public int NonceOffset { get; }

    private static void ReadWords(ReadOnlySpan<byte> bytes, Span<uint> words)
    {
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt32BigEndian(bytes[(i * 4)..]);
        }
    }

    private static void Compress(uint[] state, uint[] block)
    {
        Span<uint> w = stackalloc uint[64];
        block.CopyTo(w);
        for (var t = 16; t < 64; t++)
        {
            w[t] = Sha256Device.SmallSigma1(w[t - 2]) + w[t - 7] + Sha256Device.SmallSigma0(w[t - 15]) + w[t - 16];
        }

        uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (var t = 0; t < 64; t++)
        {
            var t1 = h + Sha256Device.BigSigma1(e) + ((e & f) ^ (~e & g)) + RoundConstants[t] + w[t];
            var t2 = Sha256Device.BigSigma0(a) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}
