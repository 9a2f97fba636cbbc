using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Depin.Ledger.Commitment;

/// <summary>
/// SHA-256 of sixteen messages at once, one per 32-bit lane of AVX-512 registers (multi-buffer hashing, as in Intel's
/// ISA-L): the Merkle trees hash many independent nodes per block, and on this machine sixteen lanes of plain vector
/// arithmetic outrun sixteen calls into libcrypto's SHA-NI code, whose cost is mostly per call (see <see cref="MerkleNodes"/>).
/// </summary>
internal static unsafe class Sha256x16
{
    public const int Lanes = 16;

    public static bool IsSupported { get; } = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>Whether callers hash sixteen at a time (where supported); tests turn it off to check the one-by-one path.</summary>
    internal static bool Enabled { get; set; } = IsSupported;

    /// <summary>
    /// Hashes the Merkle nodes SHA-256(0x01 ‖ left ‖ right) of sixteen child pairs. <paramref name="pairs"/> holds the
    /// pairs' 64 bytes as sixteen big-endian words, word-major (word k of lane j at 16k + j); <paramref name="digests"/>
    /// receives the eight state words the same way. The two may overlap.
    /// </summary>
    [SkipLocalsInit]
    public static void Nodes(uint* pairs, uint* digests)
    {
        Vector512<uint>* block = stackalloc Vector512<uint>[16];
        var previous = Vector512.Load(pairs);
        block[0] = Vector512.Create(0x01000000u) | Avx512F.ShiftRightLogical(previous, 8);
        for (var k = 1; k < 16; k++)
        {
            var word = Vector512.Load(pairs + 16 * k);
            block[k] = Avx512F.ShiftLeftLogical(previous, 24) | Avx512F.ShiftRightLogical(word, 8);
            previous = word;
        }

        var state = State.Initial;
        Compress(block, ref state);

        block[0] = Avx512F.ShiftLeftLogical(previous, 24) | Vector512.Create(0x00800000u);
        for (var k = 1; k < 15; k++)
        {
            block[k] = Vector512<uint>.Zero;
        }

        block[15] = Vector512.Create(65u * 8);
        Compress(block, ref state);

        state.Store(digests);
    }

    /// <summary>
    /// Hashes sixteen messages of one length, lane j's at <paramref name="lanes"/> + j × <paramref name="stride"/>. Each
    /// lane's space must hold the padded message, <see cref="PaddedLength"/> bytes: the padding is written there. Without
    /// AVX-512 the lanes are hashed one by one.
    /// </summary>
    [SkipLocalsInit]
    public static void Messages(byte* lanes, int stride, int length, Hash256* digests)
    {
        var padded = PaddedLength(length);
        if (stride < padded)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "A lane has no room for the padding.");
        }

        if (!IsSupported)
        {
            for (var lane = 0; lane < Lanes; lane++)
            {
                digests[lane] = Hash256.Compute(new ReadOnlySpan<byte>(lanes + lane * stride, length));
            }

            return;
        }

        for (var lane = 0; lane < Lanes; lane++)
        {
            var message = new Span<byte>(lanes + lane * stride, padded);
            message[length] = 0x80;
            message[(length + 1)..^8].Clear();
            BinaryPrimitives.WriteUInt64BigEndian(message[^8..], (ulong)length * 8);
        }

        var words = stackalloc uint[16 * Lanes];
        var block = (Vector512<uint>*)words;
        var state = State.Initial;
        for (var offset = 0; offset < padded; offset += 64)
        {
            for (var lane = 0; lane < Lanes; lane++)
            {
                LoadBlock(words, lane, lanes + lane * stride + offset);
            }

            Compress(block, ref state);
        }

        state.Store(words);
        for (var lane = 0; lane < Lanes; lane++)
        {
            StoreDigest(words, lane, digests + lane);
        }
    }

    /// <summary>The bytes a message of <paramref name="length"/> bytes takes with SHA-256's padding: whole 64-byte blocks.</summary>
    public static int PaddedLength(int length) => (length + 8 + 64) / 64 * 64;

    /// <summary>
    /// Reads 64 bytes (a message block, or a node's child pair) as big-endian words into lane <paramref name="lane"/> of
    /// the word-major block at <paramref name="words"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadBlock(uint* words, int lane, void* block)
    {
        var source = (uint*)block;
        for (var k = 0; k < 16; k++)
        {
            words[16 * k + lane] = BinaryPrimitives.ReverseEndianness(source[k]);
        }
    }

    /// <summary>Writes lane <paramref name="lane"/> of the word-major digests as a hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreDigest(uint* digests, int lane, Hash256* hash)
    {
        var words = (uint*)hash;
        for (var i = 0; i < 8; i++)
        {
            words[i] = BinaryPrimitives.ReverseEndianness(digests[16 * i + lane]);
        }
    }

    private static void Compress(Vector512<uint>* block, ref State state)
    {
        var (a, b, c, d, e, f, g, h) = (state.A, state.B, state.C, state.D, state.E, state.F, state.G, state.H);
        var (w0, w1, w2, w3, w4, w5, w6, w7) = (block[0], block[1], block[2], block[3], block[4], block[5], block[6], block[7]);
        var (w8, w9, w10, w11, w12, w13, w14, w15) = (block[8], block[9], block[10], block[11], block[12], block[13], block[14], block[15]);
        Vector512<uint> t1;
        t1 = h + Sum1(e) + Choose(e, f, g) + Vector512.Create(0x428a2f98u) + w0; d += t1; h = t1 + Sum0(a) + Majority(a, b, c);
        t1 = g + Sum1(d) + Choose(d, e, f) + Vector512.Create(0x71374491u) + w1; c += t1; g = t1 + Sum0(h) + Majority(h, a, b);
        t1 = f + Sum1(c) + Choose(c, d, e) + Vector512.Create(0xb5c0fbcfu) + w2; b += t1; f = t1 + Sum0(g) + Majority(g, h, a);
        t1 = e + Sum1(b) + Choose(b, c, d) + Vector512.Create(0xe9b5dba5u) + w3; a += t1; e = t1 + Sum0(f) + Majority(f, g, h);
        t1 = d + Sum1(a) + Choose(a, b, c) + Vector512.Create(0x3956c25bu) + w4; h += t1; d = t1 + Sum0(e) + Majority(e, f, g);
        t1 = c + Sum1(h) + Choose(h, a, b) + Vector512.Create(0x59f111f1u) + w5; g += t1; c = t1 + Sum0(d) + Majority(d, e, f);
        t1 = b + Sum1(g) + Choose(g, h, a) + Vector512.Create(0x923f82a4u) + w6; f += t1; b = t1 + Sum0(c) + Majority(c, d, e);
        t1 = a + Sum1(f) + Choose(f, g, h) + Vector512.Create(0xab1c5ed5u) + w7; e += t1; a = t1 + Sum0(b) + Majority(b, c, d);
        t1 = h + Sum1(e) + Choose(e, f, g) + Vector512.Create(0xd807aa98u) + w8; d += t1; h = t1 + Sum0(a) + Majority(a, b, c);
        t1 = g + Sum1(d) + Choose(d, e, f) + Vector512.Create(0x12835b01u) + w9; c += t1; g = t1 + Sum0(h) + Majority(h, a, b);
        t1 = f + Sum1(c) + Choose(c, d, e) + Vector512.Create(0x243185beu) + w10; b += t1; f = t1 + Sum0(g) + Majority(g, h, a);
        t1 = e + Sum1(b) + Choose(b, c, d) + Vector512.Create(0x550c7dc3u) + w11; a += t1; e = t1 + Sum0(f) + Majority(f, g, h);
        t1 = d + Sum1(a) + Choose(a, b, c) + Vector512.Create(0x72be5d74u) + w12; h += t1; d = t1 + Sum0(e) + Majority(e, f, g);
        t1 = c + Sum1(h) + Choose(h, a, b) + Vector512.Create(0x80deb1feu) + w13; g += t1; c = t1 + Sum0(d) + Majority(d, e, f);
        t1 = b + Sum1(g) + Choose(g, h, a) + Vector512.Create(0x9bdc06a7u) + w14; f += t1; b = t1 + Sum0(c) + Majority(c, d, e);
        t1 = a + Sum1(f) + Choose(f, g, h) + Vector512.Create(0xc19bf174u) + w15; e += t1; a = t1 + Sum0(b) + Majority(b, c, d);
        w0 += Small0(w1) + w9 + Small1(w14);
        t1 = h + Sum1(e) + Choose(e, f, g) + Vector512.Create(0xe49b69c1u) + w0; d += t1; h = t1 + Sum0(a) + Majority(a, b, c);
        w1 += Small0(w2) + w10 + Small1(w15);
        t1 = g + Sum1(d) + Choose(d, e, f) + Vector512.Create(0xefbe4786u) + w1; c += t1; g = t1 + Sum0(h) + Majority(h, a, b);
        w2 += Small0(w3) + w11 + Small1(w0);
        t1 = f + Sum1(c) + Choose(c, d, e) + Vector512.Create(0x0fc19dc6u) + w2; b += t1; f = t1 + Sum0(g) + Majority(g, h, a);
        w3 += Small0(w4) + w12 + Small1(w1);
        t1 = e + Sum1(b) + Choose(b, c, d) + Vector512.Create(0x240ca1ccu) + w3; a += t1; e = t1 + Sum0(f) + Majority(f, g, h);
        w4 += Small0(w5) + w13 + Small1(w2);
        t1 = d + Sum1(a) + Choose(a, b, c) + Vector512.Create(0x2de92c6fu) + w4; h += t1; d = t1 + Sum0(e) + Majority(e, f, g);
        w5 += Small0(w6) + w14 + Small1(w3);
        t1 = c + Sum1(h) + Choose(h, a, b) + Vector512.Create(0x4a7484aau) + w5; g += t1; c = t1 + Sum0(d) + Majority(d, e, f);
        w6 += Small0(w7) + w15 + Small1(w4);
        t1 = b + Sum1(g) + Choose(g, h, a) + Vector512.Create(0x5cb0a9dcu) + w6; f += t1; b = t1 + Sum0(c) + Majority(c, d, e);
        w7 += Small0(w8) + w0 + Small1(w5);
        t1 = a + Sum1(f) + Choose(f, g, h) + Vector512.Create(0x76f988dau) + w7; e += t1; a = t1 + Sum0(b) + Majority(b, c, d);
        w8 += Small0(w9) + w1 + Small1(w6);
        t1 = h + Sum1(e) + Choose(e, f, g) + Vector512.Create(0x983e5152u) + w8; d += t1; h = t1 + Sum0(a) + Majority(a, b, c);
        w9 += Small0(w10) + w2 + Small1(w7);
        t1 = g + Sum1(d) + Choose(d, e, f) + Vector512.Create(0xa831c66du) + w9; c += t1; g = t1 + Sum0(h) + Majority(h, a, b);
        w10 += Small0(w11) + w3 + Small1(w8);
        t1 = f + Sum1(c) + Choose(c, d, e) + Vector512.Create(0xb00327c8u) + w10; b += t1; f = t1 + Sum0(g) + Majority(g, h, a);
        w11 += Small0(w12) + w4 + Small1(w9);
        t1 = e + Sum1(b) + Choose(b, c, d) + Vector512.Create(0xbf597fc7u) + w11; a += t1; e = t1 + Sum0(f) + Majority(f, g, h);
        w12 += Small0(w13) + w5 + Small1(w10);
        t1 = d + Sum1(a) + Choose(a, b, c) + Vector512.Create(0xc6e00bf3u) + w12; h += t1; d = t1 + Sum0(e) + Majority(e, f, g);
        w13 += Small0(w14) + w6 + Small1(w11);
        t1 = c + Sum1(h) + Choose(h, a, b) + Vector512.Create(0xd5a79147u) + w13; g += t1; c = t1 + Sum0(d) + Majority(d, e, f);
        w14 += Small0(w15) + w7 + Small1(w12);
        t1 = b + Sum1(g) + Choose(g, h, a) + Vector512.Create(0x06ca6351u) + w14; f += t1; b = t1 + Sum0(c) + Majority(c, d, e);
        w15 += Small0(w0) + w8 + Small1(w13);
        t1 = a + Sum1(f) + Choose(f, g, h) + Vector512.Create(0x14292967u) + w15; e += t1; a = t1 + Sum0(b) + Majority(b, c, d);
        w0 += Small0(w1) + w9 + Small1(w14);
        t1 = h + Sum1(e) + Choose(e, f, g) + Vector512.Create(0x27b70a85u) + w0; d += t1; h = t1 + Sum0(a) + Majority(a, b, c);
        w1 += Small0(w2) + w10 + Small1(w15);
        t1 = g + Sum1(d) + Choose(d, e, f) + Vector512.Create(0x2e1b2138u) + w1; c += t1; g = t1 + Sum0(h) + Majority(h, a, b);
        w2 += Small0(w3) + w11 + Small1(w0);
        t1 = f + Sum1(c) + Choose(c, d, e) + Vector512.Create(0x4d2c6dfcu) + w2; b += t1; f = t1 + Sum0(g) + Majority(g, h, a);
        w3 += Small0(w4) + w12 + Small1(w1);
        t1 = e + Sum1(b) + Choose(b, c, d) + Vector512.Create(0x53380d13u) + w3; a += t1; e = t1 + Sum0(f) + Majority(f, g, h);
        w4 += Small0(w5) + w13 + Small1(w2);
        t1 = d + Sum1(a) + Choose(a, b, c) + Vector512.Create(0x650a7354u) + w4; h += t1; d = t1 + Sum0(e) + Majority(e, f, g);
        w5 += Small0(w6) + w14 + Small1(w3);
        t1 = c + Sum1(h) + Choose(h, a, b) + Vector512.Create(0x766a0abbu) + w5; g += t1; c = t1 + Sum0(d) + Majority(d, e, f);
        w6 += Small0(w7) + w15 + Small1(w4);
        t1 = b + Sum1(g) + Choose(g, h, a) + Vector512.Create(0x81c2c92eu) + w6; f += t1; b = t1 + Sum0(c) + Majority(c, d, e);
        w7 += Small0(w8) + w0 + Small1(w5);
        t1 = a + Sum1(f) + Choose(f, g, h) + Vector512.Create(0x92722c85u) + w7; e += t1; a = t1 + Sum0(b) + Majority(b, c, d);
        w8 += Small0(w9) + w1 + Small1(w6);
        t1 = h + Sum1(e) + Choose(e, f, g) + Vector512.Create(0xa2bfe8a1u) + w8; d += t1; h = t1 + Sum0(a) + Majority(a, b, c);
        w9 += Small0(w10) + w2 + Small1(w7);
        t1 = g + Sum1(d) + Choose(d, e, f) + Vector512.Create(0xa81a664bu) + w9; c += t1; g = t1 + Sum0(h) + Majority(h, a, b);
        w10 += Small0(w11) + w3 + Small1(w8);
        t1 = f + Sum1(c) + Choose(c, d, e) + Vector512.Create(0xc24b8b70u) + w10; b += t1; f = t1 + Sum0(g) + Majority(g, h, a);
        w11 += Small0(w12) + w4 + Small1(w9);
        t1 = e + Sum1(b) + Choose(b, c, d) + Vector512.Create(0xc76c51a3u) + w11; a += t1; e = t1 + Sum0(f) + Majority(f, g, h);
        w12 += Small0(w13) + w5 + Small1(w10);
        t1 = d + Sum1(a) + Choose(a, b, c) + Vector512.Create(0xd192e819u) + w12; h += t1; d = t1 + Sum0(e) + Majority(e, f, g);
        w13 += Small0(w14) + w6 + Small1(w11);
        t1 = c + Sum1(h) + Choose(h, a, b) + Vector512.Create(0xd6990624u) + w13; g += t1; c = t1 + Sum0(d) + Majority(d, e, f);
        w14 += Small0(w15) + w7 + Small1(w12);
        t1 = b + Sum1(g) + Choose(g, h, a) + Vector512.Create(0xf40e3585u) + w14; f += t1; b = t1 + Sum0(c) + Majority(c, d, e);
        w15 += Small0(w0) + w8 + Small1(w13);
        t1 = a + Sum1(f) + Choose(f, g, h) + Vector512.Create(0x106aa070u) + w15; e += t1; a = t1 + Sum0(b) + Majority(b, c, d);
        w0 += Small0(w1) + w9 + Small1(w14);
        t1 = h + Sum1(e) + Choose(e, f, g) + Vector512.Create(0x19a4c116u) + w0; d += t1; h = t1 + Sum0(a) + Majority(a, b, c);
        w1 += Small0(w2) + w10 + Small1(w15);
        t1 = g + Sum1(d) + Choose(d, e, f) + Vector512.Create(0x1e376c08u) + w1; c += t1; g = t1 + Sum0(h) + Majority(h, a, b);
        w2 += Small0(w3) + w11 + Small1(w0);
        t1 = f + Sum1(c) + Choose(c, d, e) + Vector512.Create(0x2748774cu) + w2; b += t1; f = t1 + Sum0(g) + Majority(g, h, a);
        w3 += Small0(w4) + w12 + Small1(w1);
        t1 = e + Sum1(b) + Choose(b, c, d) + Vector512.Create(0x34b0bcb5u) + w3; a += t1; e = t1 + Sum0(f) + Majority(f, g, h);
        w4 += Small0(w5) + w13 + Small1(w2);
        t1 = d + Sum1(a) + Choose(a, b, c) + Vector512.Create(0x391c0cb3u) + w4; h += t1; d = t1 + Sum0(e) + Majority(e, f, g);
        w5 += Small0(w6) + w14 + Small1(w3);
        t1 = c + Sum1(h) + Choose(h, a, b) + Vector512.Create(0x4ed8aa4au) + w5; g += t1; c = t1 + Sum0(d) + Majority(d, e, f);
        w6 += Small0(w7) + w15 + Small1(w4);
        t1 = b + Sum1(g) + Choose(g, h, a) + Vector512.Create(0x5b9cca4fu) + w6; f += t1; b = t1 + Sum0(c) + Majority(c, d, e);
        w7 += Small0(w8) + w0 + Small1(w5);
        t1 = a + Sum1(f) + Choose(f, g, h) + Vector512.Create(0x682e6ff3u) + w7; e += t1; a = t1 + Sum0(b) + Majority(b, c, d);
        w8 += Small0(w9) + w1 + Small1(w6);
        t1 = h + Sum1(e) + Choose(e, f, g) + Vector512.Create(0x748f82eeu) + w8; d += t1; h = t1 + Sum0(a) + Majority(a, b, c);
        w9 += Small0(w10) + w2 + Small1(w7);
        t1 = g + Sum1(d) + Choose(d, e, f) + Vector512.Create(0x78a5636fu) + w9; c += t1; g = t1 + Sum0(h) + Majority(h, a, b);
        w10 += Small0(w11) + w3 + Small1(w8);
        t1 = f + Sum1(c) + Choose(c, d, e) + Vector512.Create(0x84c87814u) + w10; b += t1; f = t1 + Sum0(g) + Majority(g, h, a);
        w11 += Small0(w12) + w4 + Small1(w9);
        t1 = e + Sum1(b) + Choose(b, c, d) + Vector512.Create(0x8cc70208u) + w11; a += t1; e = t1 + Sum0(f) + Majority(f, g, h);
        w12 += Small0(w13) + w5 + Small1(w10);
        t1 = d + Sum1(a) + Choose(a, b, c) + Vector512.Create(0x90befffau) + w12; h += t1; d = t1 + Sum0(e) + Majority(e, f, g);
        w13 += Small0(w14) + w6 + Small1(w11);
        t1 = c + Sum1(h) + Choose(h, a, b) + Vector512.Create(0xa4506cebu) + w13; g += t1; c = t1 + Sum0(d) + Majority(d, e, f);
        w14 += Small0(w15) + w7 + Small1(w12);
        t1 = b + Sum1(g) + Choose(g, h, a) + Vector512.Create(0xbef9a3f7u) + w14; f += t1; b = t1 + Sum0(c) + Majority(c, d, e);
        w15 += Small0(w0) + w8 + Small1(w13);
        t1 = a + Sum1(f) + Choose(f, g, h) + Vector512.Create(0xc67178f2u) + w15; e += t1; a = t1 + Sum0(b) + Majority(b, c, d);
        state.A += a;
        state.B += b;
        state.C += c;
        state.D += d;
        state.E += e;
        state.F += f;
        state.G += g;
        state.H += h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Sum0(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 2), Avx512F.RotateRight(x, 13), Avx512F.RotateRight(x, 22), Xor3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Sum1(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 6), Avx512F.RotateRight(x, 11), Avx512F.RotateRight(x, 25), Xor3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Small0(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 7), Avx512F.RotateRight(x, 18), Avx512F.ShiftRightLogical(x, 3), Xor3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Small1(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 17), Avx512F.RotateRight(x, 19), Avx512F.ShiftRightLogical(x, 10), Xor3);

    /// <summary>e ? f : g, bit by bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Choose(Vector512<uint> e, Vector512<uint> f, Vector512<uint> g) => Avx512F.TernaryLogic(e, f, g, 0xCA);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Majority(Vector512<uint> a, Vector512<uint> b, Vector512<uint> c) => Avx512F.TernaryLogic(a, b, c, 0xE8);

    /// <summary>The truth table of a ^ b ^ c for <c>vpternlogd</c>.</summary>
    private const byte Xor3 = 0x96;

    /// <summary>The eight working words of sixteen hashes.</summary>
    private struct State
    {
        public Vector512<uint> A, B, C, D, E, F, G, H;

        public static State Initial => new()
        {
            A = Vector512.Create(0x6a09e667u),
            B = Vector512.Create(0xbb67ae85u),
            C = Vector512.Create(0x3c6ef372u),
            D = Vector512.Create(0xa54ff53au),
            E = Vector512.Create(0x510e527fu),
            F = Vector512.Create(0x9b05688cu),
            G = Vector512.Create(0x1f83d9abu),
            H = Vector512.Create(0x5be0cd19u),
        };

        /// <summary>Writes the words word-major: word i of lane j at 16i + j.</summary>
        public readonly void Store(uint* words)
        {
            A.Store(words);
            B.Store(words + 16);
            C.Store(words + 32);
            D.Store(words + 48);
            E.Store(words + 64);
            F.Store(words + 80);
            G.Store(words + 96);
            H.Store(words + 112);
        }
    }
}
