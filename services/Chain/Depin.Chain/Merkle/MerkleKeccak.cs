using System.Buffers.Binary;

namespace Depin.Chain;

/// <summary>
/// Keccak-256 for the payout tree's hot loop: one-block inputs (leaves) and 64-byte pairs (inner nodes) on the stack.
/// Every other hash in the platform goes through Nethereum's <c>Sha3Keccack</c>; this path stays because the bench
/// (bench/Depin.Chain.Bench) measures it several times faster on the 1M-leaf tree.
/// </summary>
internal static class MerkleKeccak
{
    /// <summary>Sponge rate in bytes for a 256-bit capacity.</summary>
    internal const int Rate = 136;

    public static Hash32 Hash(ReadOnlySpan<byte> data)
    {
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        Absorb(state, data);
        return Squeeze(state);
    }

    /// <summary>keccak256(a ‖ b) over two 32-byte words, the inner node hash of Merkle trees.</summary>
    public static Hash32 Hash(in Hash32 a, in Hash32 b)
    {
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        ReadOnlySpan<ulong> la = Hash32.Lanes(in a);
        ReadOnlySpan<ulong> lb = Hash32.Lanes(in b);
        if (BitConverter.IsLittleEndian)
        {
            la.CopyTo(state);
            lb.CopyTo(state[4..]);
        }
        else
        {
            for (int i = 0; i < 4; i++)
            {
                state[i] = BinaryPrimitives.ReverseEndianness(la[i]);
                state[4 + i] = BinaryPrimitives.ReverseEndianness(lb[i]);
            }
        }

        state[8] ^= 0x01UL;
        state[16] ^= 0x80UL << 56;
        KeccakPermutation.Permute(state);
        return Squeeze(state);
    }

    private static void Absorb(Span<ulong> state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= Rate)
        {
            XorBlock(state, data[..Rate]);
            KeccakPermutation.Permute(state);
            data = data[Rate..];
        }

        Span<byte> last = stackalloc byte[Rate];
        last.Clear();
        data.CopyTo(last);
        last[data.Length] ^= 0x01;
        last[Rate - 1] ^= 0x80;
        XorBlock(state, last);
        KeccakPermutation.Permute(state);
    }

    private static void XorBlock(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        for (int i = 0; i < Rate / 8; i++)
        {
            state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block.Slice(i * 8, 8));
        }
    }

    private static Hash32 Squeeze(ReadOnlySpan<ulong> state)
    {
        Span<byte> output = stackalloc byte[32];
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(i * 8, 8), state[i]);
        }

        return new Hash32(output);
    }
}
