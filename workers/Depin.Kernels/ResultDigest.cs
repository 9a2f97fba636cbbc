using System.Security.Cryptography;

namespace Depin.Kernels;

/// <summary>Content digest of a job result, as recorded by the marketplace and the chain.</summary>
public static class ResultDigest
{
    /// <summary>Lower-case hex SHA-256 of <paramref name="result"/>.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> result)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(result, hash);
        return Convert.ToHexStringLower(hash);
    }
}
