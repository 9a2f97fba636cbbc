using Nethereum.Util;

namespace Depin.Chain;

/// <summary>The two Keccak paths the payout tree can be built with, as static-abstract structs so each build is specialised.</summary>
internal interface IKeccakHasher
{
    static abstract Hash32 Hash(ReadOnlySpan<byte> data);

    static abstract Hash32 Pair(in Hash32 a, in Hash32 b);
}

internal readonly struct MerkleKeccakHasher : IKeccakHasher
{
    public static Hash32 Hash(ReadOnlySpan<byte> data) => MerkleKeccak.Hash(data);

    public static Hash32 Pair(in Hash32 a, in Hash32 b) => MerkleKeccak.Hash(a, b);
}

internal readonly struct NethereumKeccakHasher : IKeccakHasher
{
    public static Hash32 Hash(ReadOnlySpan<byte> data) => new(Sha3Keccack.Current.CalculateHash(data.ToArray()));

    public static Hash32 Pair(in Hash32 a, in Hash32 b) => new(Sha3Keccack.Current.CalculateHash([.. a.Span, .. b.Span]));
}
