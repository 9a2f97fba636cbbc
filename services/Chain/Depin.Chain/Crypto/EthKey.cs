using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Security;

namespace Depin.Chain;

/// <summary>A secp256k1 private key with its uncompressed public key and Ethereum address.</summary>
public sealed class EthKey
{
    private readonly byte[] _privateKey;

    private EthKey(BigInteger d)
    {
        if (d.SignValue <= 0 || d.CompareTo(Secp256k1.N) >= 0)
        {
            throw new ArgumentException("Private key must be in [1, n-1].");
        }

        D = d;
        _privateKey = new byte[32];
        Secp256k1.WriteWord(d, _privateKey);
        Parameters = new ECPrivateKeyParameters(d, Secp256k1.Domain);
        PublicPoint = Secp256k1.Domain.G.Multiply(d).Normalize();
        PublicKey = EncodePublicKey(PublicPoint);
        Address = AddressOf(PublicKey);
    }

    /// <summary>The 64-byte public key x ‖ y (no 0x04 prefix).</summary>
    public byte[] PublicKey { get; }

    public Address Address { get; }

    internal BigInteger D { get; }

    internal ECPrivateKeyParameters Parameters { get; }

    internal ECPoint PublicPoint { get; }

    public static EthKey Generate()
    {
        var random = new SecureRandom();
        while (true)
        {
            var candidate = new BigInteger(256, random);
            if (candidate.SignValue > 0 && candidate.CompareTo(Secp256k1.N) < 0)
            {
                return new EthKey(candidate);
            }
        }
    }

    public static EthKey FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
        {
            throw new ArgumentException("A private key is 32 bytes.", nameof(privateKey));
        }

        return new EthKey(Secp256k1.ToBigInteger(privateKey));
    }

    public static EthKey FromHex(string privateKeyHex) => FromPrivateKey(Hex.Decode(privateKeyHex, 32));

    /// <summary>The private key as 0x-prefixed hex. Handle with care.</summary>
    public string ToHex() => Hex.Encode(_privateKey);

    public byte[] PrivateKeyBytes() => (byte[])_privateKey.Clone();

    public Signature Sign(in Hash32 hash) => EthSigner.Sign(hash, this);

    public override string ToString() => $"EthKey({Address})";

    internal static byte[] EncodePublicKey(ECPoint point)
    {
        byte[] encoded = point.GetEncoded(false);
        return encoded[1..];
    }

    internal static Address AddressOf(ReadOnlySpan<byte> publicKey64)
    {
        Hash32 hash = Keccak256.Hash(publicKey64);
        return new Address(hash.Span[12..]);
    }
}
