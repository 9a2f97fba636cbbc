using System.Buffers.Binary;
using Depin.Chain;

namespace Depin.Rewards.Bridge;

/// <summary>Ledger transaction ids of bridge credits, derived from where the money came from, so a retry is the same transaction.</summary>
public static class BridgeIds
{
    /// <summary>The ledger id of the credit for log <paramref name="logIndex"/> of <paramref name="transactionHash"/> on chain <paramref name="chainId"/>.</summary>
    public static string Deposit(ulong chainId, Hash32 transactionHash, ulong logIndex)
    {
        Span<byte> input = stackalloc byte[15 + 8 + 32 + 8];
        "depin.deposit.1"u8.CopyTo(input);
        BinaryPrimitives.WriteUInt64BigEndian(input[15..], chainId);
        transactionHash.Span.CopyTo(input[23..]);
        BinaryPrimitives.WriteUInt64BigEndian(input[55..], logIndex);
        Span<byte> guid = stackalloc byte[16];
        Hash32.Keccak(input).Span[..16].CopyTo(guid);
        guid[6] = (byte)((guid[6] & 0x0F) | 0x80);
        guid[8] = (byte)((guid[8] & 0x3F) | 0x80);
        return new Guid(guid, bigEndian: true).ToString("D");
    }
}
