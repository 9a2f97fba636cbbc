using System.Security.Cryptography;
using System.Text;
using Depin.Chain;

namespace Depin.Rewards.Epochs;

/// <summary>
/// Ledger transaction ids of reward credits: RFC 4122 version-5 (name-based, SHA-1) UUIDs of
/// "reward-credit/{epoch}/{address}/{attempt}", so a rerun submits the same ids and the ledger pays each once.
/// The attempt only moves on after a credit failed (a failed receipt pays nothing), so a fresh id can never double-pay.
/// </summary>
public static class RewardCreditIds
{
    /// <summary>The namespace UUID of Depin reward credits.</summary>
    public static readonly Guid Namespace = new("6c1d6a52-4a0e-5b7e-9a5d-3f0f6d2a9c11");

    public static Guid For(long epoch, Address account, int attempt)
    {
        Span<byte> buffer = stackalloc byte[128];
        Namespace.TryWriteBytes(buffer, bigEndian: true, out _);
        int length = 16 + Encoding.ASCII.GetBytes($"reward-credit/{epoch}/{account.ToLowerHex()}/{attempt}", buffer[16..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(buffer[..length], hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
