using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace Depin.Chain;

/// <summary>The secp256k1 curve parameters, shared by keys, signing and recovery.</summary>
internal static class Secp256k1
{
    public static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");

    public static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H);

    public static BigInteger N => Curve.N;

    public static readonly BigInteger HalfN = Curve.N.ShiftRight(1);

    public static BigInteger ToBigInteger(ReadOnlySpan<byte> bigEndian) => new(1, bigEndian.ToArray());

    public static void WriteWord(BigInteger value, Span<byte> destination)
    {
        byte[] bytes = value.ToByteArrayUnsigned();
        if (bytes.Length > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Value does not fit in 32 bytes.");
        }

        destination[..32].Clear();
        bytes.CopyTo(destination[(32 - bytes.Length)..]);
    }
}
