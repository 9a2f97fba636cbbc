using System.Security.Cryptography;
using System.Text;

namespace Depin.Rewards.Epochs;

/// <summary>RFC 4122 version-5 (name-based, SHA-1) UUIDs: the same name gives the same ledger transaction id on every run.</summary>
public static class NameBasedIds
{
    public static Guid V5(Guid namespaceId, string name)
    {
        Span<byte> buffer = stackalloc byte[16 + Encoding.ASCII.GetMaxByteCount(name.Length)];
        namespaceId.TryWriteBytes(buffer, bigEndian: true, out _);
        int length = 16 + Encoding.ASCII.GetBytes(name, buffer[16..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(buffer[..length], hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
