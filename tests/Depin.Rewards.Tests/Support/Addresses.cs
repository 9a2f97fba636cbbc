using Depin.Chain;

namespace Depin.Rewards.Tests.Support;

public static class Addresses
{
    /// <summary>0x00…0n: addresses whose order is their number.</summary>
    public static Address Numbered(int n)
    {
        byte[] bytes = new byte[20];
        bytes[16] = (byte)(n >> 24);
        bytes[17] = (byte)(n >> 16);
        bytes[18] = (byte)(n >> 8);
        bytes[19] = (byte)n;
        return new Address(bytes);
    }
}
