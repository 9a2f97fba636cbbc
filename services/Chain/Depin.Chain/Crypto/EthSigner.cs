using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Depin.Chain;

/// <summary>Deterministic (RFC 6979) low-s ECDSA over secp256k1 and public-key recovery, as Ethereum uses them.</summary>
public static class EthSigner
{
    public static Signature Sign(in Hash32 hash, EthKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, key.Parameters);
        BigInteger[] rs = signer.GenerateSignature(hash.ToArray());
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        if (s.CompareTo(Secp256k1.HalfN) > 0)
        {
            s = Secp256k1.N.Subtract(s);
        }

        for (byte id = 0; id < 2; id++)
        {
            ECPoint? q = RecoverPoint(hash, r, s, id);
            if (q is not null && q.Equals(key.PublicPoint))
            {
                return new Signature(ToWord(r), ToWord(s), id);
            }
        }

        throw new InvalidOperationException("Could not compute the recovery id of a fresh signature.");
    }

    /// <summary>The address whose key produced <paramref name="signature"/> over <paramref name="hash"/>.</summary>
    public static Address Recover(in Hash32 hash, Signature signature) => EthKey.AddressOf(RecoverPublicKey(hash, signature));

    /// <summary>The 64-byte public key x ‖ y that produced the signature.</summary>
    public static byte[] RecoverPublicKey(in Hash32 hash, Signature signature)
    {
        BigInteger r = Secp256k1.ToBigInteger(signature.R.Span);
        BigInteger s = Secp256k1.ToBigInteger(signature.S.Span);
        if (r.SignValue <= 0 || r.CompareTo(Secp256k1.N) >= 0 || s.SignValue <= 0 || s.CompareTo(Secp256k1.N) >= 0)
        {
            throw new ArgumentException("Signature r or s is out of range.", nameof(signature));
        }

        ECPoint q = RecoverPoint(hash, r, s, signature.RecoveryId)
            ?? throw new ArgumentException("No public key recovers from this signature.", nameof(signature));
        return EthKey.EncodePublicKey(q);
    }

    /// <summary>SEC 1 v2 §4.1.6 for x = r (the r + n case has negligible probability and is not supported).</summary>
    private static ECPoint? RecoverPoint(in Hash32 hash, BigInteger r, BigInteger s, int recoveryId)
    {
        if (recoveryId is < 0 or > 1)
        {
            return null;
        }

        ECCurve curve = Secp256k1.Curve.Curve;
        if (r.CompareTo(curve.Field.Characteristic) >= 0)
        {
            return null;
        }

        byte[] compressed = new byte[33];
        compressed[0] = (byte)(0x02 + recoveryId);
        Secp256k1.WriteWord(r, compressed.AsSpan(1));
        ECPoint rPoint;
        try
        {
            rPoint = curve.DecodePoint(compressed);
        }
        catch (ArgumentException)
        {
            return null;
        }

        BigInteger n = Secp256k1.N;
        BigInteger e = Secp256k1.ToBigInteger(hash.Span);
        BigInteger rInv = r.ModInverse(n);
        BigInteger u1 = n.Subtract(e).Multiply(rInv).Mod(n);
        BigInteger u2 = s.Multiply(rInv).Mod(n);
        ECPoint q = ECAlgorithms.SumOfTwoMultiplies(Secp256k1.Domain.G, u1, rPoint, u2).Normalize();
        return q.IsInfinity ? null : q;
    }

    private static Hash32 ToWord(BigInteger value)
    {
        Span<byte> word = stackalloc byte[32];
        Secp256k1.WriteWord(value, word);
        return new Hash32(word);
    }
}
