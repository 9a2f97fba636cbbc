using Nethereum.Signer;
namespace Depin.Chain.Tests.Support;

/// <summary>Seeded random inputs, so a failing case reproduces.</summary>
public static class Random32
{
    public static Random Seeded(int seed) => new(seed);

    public static byte[] Bytes(this Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    public static Address NextAddress(this Random random) => new(random.Bytes(20));

    public static Hash32 NextHash(this Random random) => new(random.Bytes(32));

    public static EthECKey NextKey(this Random random)
    {
        while (true)
        {
            try
            {
                return new EthECKey(random.Bytes(32), true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
            {
            }
        }
    }

    public static UInt128 NextUInt128(this Random random) => new((ulong)random.NextInt64(), (ulong)random.NextInt64());

    public static string AsciiText(this Random random, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;!?-_";
        char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
