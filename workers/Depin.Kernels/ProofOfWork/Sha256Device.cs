using ILGPU;

namespace Depin.Kernels.ProofOfWork;

/// <summary>SHA-256 nonce search kernel: integer operations only, a 16-word rolling message schedule in local memory.</summary>
internal static class Sha256Device
{
    public static uint Rotr(uint x, int n) => (x >> n) | (x << (32 - n));

    public static uint BigSigma0(uint x) => Rotr(x, 2) ^ Rotr(x, 13) ^ Rotr(x, 22);

    public static uint BigSigma1(uint x) => Rotr(x, 6) ^ Rotr(x, 11) ^ Rotr(x, 25);

    public static uint SmallSigma0(uint x) => Rotr(x, 7) ^ Rotr(x, 18) ^ (x >> 3);

    public static uint SmallSigma1(uint x) => Rotr(x, 17) ^ Rotr(x, 19) ^ (x >> 10);

    public static void Search(
        Index1D index,
        ArrayView<uint> roundConstants,
        ArrayView<uint> template,
        ArrayView<uint> midstate,
        ArrayView<ulong> found,
        PowSearch search)
    {
        var w = LocalMemory.Allocate<uint>(16);
        var firstOffset = (long)index.X * search.NoncesPerThread;
        var nonceWord = search.NonceOffset / 4;
        var shift = 8 * (search.NonceOffset % 4);

        for (var n = 0; n < search.NoncesPerThread; n++)
        {
            var offset = firstOffset + n;
            if (offset >= search.Count)
            {
                return;
            }

            var nonce = search.BaseNonce + (ulong)offset;
            var bigEndian = SwapBytes(nonce);
            var v0 = (uint)(bigEndian >> (32 + shift));
            var v1 = (uint)(bigEndian >> shift);
            var v2 = shift == 0 ? 0u : (uint)(bigEndian << (32 - shift));

            uint h0 = midstate[0], h1 = midstate[1], h2 = midstate[2], h3 = midstate[3];
            uint h4 = midstate[4], h5 = midstate[5], h6 = midstate[6], h7 = midstate[7];
            for (var block = 0; block < search.RemainingBlocks; block++)
            {
                for (var t = 0; t < 16; t++)
                {
                    var word = block * 16 + t;
                    var value = template[word];
                    if (word == nonceWord)
                    {
                        value |= v0;
                    }
                    else if (word == nonceWord + 1)
                    {
                        value |= v1;
                    }
                    else if (word == nonceWord + 2)
                    {
                        value |= v2;
                    }

                    w[t] = value;
                }

                uint a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
                for (var t = 0; t < 64; t++)
                {
                    uint wt;
                    if (t < 16)
                    {
                        wt = w[t];
                    }
                    else
                    {
                        wt = SmallSigma1(w[(t - 2) & 15]) + w[(t - 7) & 15] + SmallSigma0(w[(t - 15) & 15]) + w[t & 15];
                        w[t & 15] = wt;
                    }

                    var t1 = h + BigSigma1(e) + ((e & f) ^ (~e & g)) + roundConstants[t] + wt;
                    var t2 = BigSigma0(a) + ((a & b) ^ (a & c) ^ (b & c));
                    h = g;
                    g = f;
                    f = e;
                    e = d + t1;
                    d = c;
                    c = b;
                    b = a;
                    a = t1 + t2;
                }

                h0 += a;
                h1 += b;
                h2 += c;
                h3 += d;
                h4 += e;
                h5 += f;
                h6 += g;
                h7 += h;
            }

            var leading = ((ulong)h0 << 32) | h1;
            if ((leading >> (64 - search.DifficultyBits)) == 0)
            {
                Atomic.Min(ref found[0], nonce);
            }
        }
    }

    private static ulong SwapBytes(ulong x)
    {
        x = ((x & 0x00FF00FF00FF00FFUL) << 8) | ((x >> 8) & 0x00FF00FF00FF00FFUL);
        x = ((x & 0x0000FFFF0000FFFFUL) << 16) | ((x >> 16) & 0x0000FFFF0000FFFFUL);
        return (x << 32) | (x >> 32);
    }
}
