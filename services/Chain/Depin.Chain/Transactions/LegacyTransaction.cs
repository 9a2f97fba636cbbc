using System.Numerics;

namespace Depin.Chain;

/// <summary>A pre-EIP-2718 transaction, signed with EIP-155 replay protection (v = 35 + 2·chainId + recovery id).</summary>
public sealed record LegacyTransaction(
    ulong ChainId,
    ulong Nonce,
    BigInteger GasPrice,
    ulong GasLimit,
    Address? To,
    BigInteger Value,
    byte[] Data)
{
    /// <summary>keccak256(rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0])).</summary>
    public Hash32 SigningHash() => Keccak256.Hash(Rlp.EncodeList([.. Fields(), Rlp.EncodeUInt(ChainId), Rlp.EncodeUInt(0), Rlp.EncodeUInt(0)]));

    /// <summary>The signed raw transaction for eth_sendRawTransaction.</summary>
    public byte[] Sign(EthKey key)
    {
        Signature signature = EthSigner.Sign(SigningHash(), key);
        BigInteger v = new BigInteger(ChainId) * 2 + 35 + signature.RecoveryId;
        return Rlp.EncodeList([.. Fields(), Rlp.EncodeUInt(v), Word(signature.R), Word(signature.S)]);
    }

    private byte[][] Fields() =>
    [
        Rlp.EncodeUInt(Nonce),
        Rlp.EncodeUInt(GasPrice),
        Rlp.EncodeUInt(GasLimit),
        Rlp.EncodeAddress(To),
        Rlp.EncodeUInt(Value),
        Rlp.EncodeBytes(Data),
    ];

    internal static byte[] Word(Hash32 word) => Rlp.EncodeUInt(new BigInteger(word.Span, isUnsigned: true, isBigEndian: true));
}
