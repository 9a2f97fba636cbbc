using System.Security.Cryptography;
using Depin.Ledger.Commitment;

namespace Depin.Ledger.Tests.Commitment;

public sealed class Sha256Tests
{
    [Fact]
    public void Managed_sha256_equals_the_platform_at_every_length_across_block_boundaries()
    {
        var random = new Random(19);
        Span<byte> ours = stackalloc byte[32];
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Sha256.Hash(data, ours);
            Assert.Equal(SHA256.HashData(data), ours.ToArray());
        }
    }

    [Fact]
    public void Hash256_compute_matches_the_platform_for_short_and_long_inputs()
    {
        foreach (var length in new[] { 0, 31, 74, 256, 257, 5_000 })
        {
            var data = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
            Assert.Equal(SHA256.HashData(data), Hash256.Compute(data).ToArray());
        }
    }

    [Fact]
    public void Libcrypto_sha256_is_found_on_linux_and_equals_the_platform_at_every_length()
    {
        Assert.Equal(OperatingSystem.IsLinux(), LibcryptoSha256.Available);
        if (!LibcryptoSha256.Available)
        {
            return;
        }

        var random = new Random(23);
        Span<byte> ours = stackalloc byte[32];
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            LibcryptoSha256.Hash(data, ours);
            Assert.Equal(SHA256.HashData(data), ours.ToArray());
        }
    }
}
