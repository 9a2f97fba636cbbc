using System.Numerics;

namespace Depin.Chain;

/// <summary>An EIP-1559 (type 2) transaction with an empty access list.</summary>
public sealed record Eip1559Transaction(
    ulong ChainId,
    ulong Nonce,
    BigInteger MaxPriorityFeePerGas,
    BigInteger MaxFeePerGas,
    ulong GasLimit,
    Address? To,
    BigInteger Value,
    byte[] Data)
{
    public const byte TypeByte = 0x02;

    /// <summary>keccak256(0x02 ‖ rlp([chainId, nonce, maxPriorityFee, maxFee, gas, to, value, data, accessList])).</summary>
    public Hash32 SigningHash() => Keccak256.Hash([TypeByte, .. Rlp.EncodeList(Fields())]);

    /// <summary>0x02 ‖ rlp([..fields, yParity, r, s]), ready for eth_sendRawTransaction.</summary>
    public byte[] Sign(EthKey key)
    {
        Signature signature = EthSigner.Sign(SigningHash(), key);
        byte[] body = Rlp.EncodeList([.. Fields(), Rlp.EncodeUInt(signature.RecoveryId), LegacyTransaction.Word(signature.R), LegacyTransaction.Word(signature.S)]);
        return [TypeByte, .. body];
    }

    private byte[][] Fields() =>
    [
        Rlp.EncodeUInt(ChainId),
        Rlp.EncodeUInt(Nonce),
        Rlp.EncodeUInt(MaxPriorityFeePerGas),
        Rlp.EncodeUInt(MaxFeePerGas),
        Rlp.EncodeUInt(GasLimit),
        Rlp.EncodeAddress(To),
        Rlp.EncodeUInt(Value),
        Rlp.EncodeBytes(Data),
        Rlp.EncodeList([]),
    ];
}
