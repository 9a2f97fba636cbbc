using System.Globalization;
using System.Text;

namespace Depin.Chain;

/// <summary>EIP-191 version 0x45 (personal_sign): keccak256("\x19Ethereum Signed Message:\n" + len(message) + message).</summary>
public static class PersonalSign
{
    private const string Prefix = "\u0019Ethereum Signed Message:\n";

    public static Hash32 Hash(ReadOnlySpan<byte> message)
    {
        byte[] prefix = Encoding.ASCII.GetBytes(Prefix + message.Length.ToString(CultureInfo.InvariantCulture));
        byte[] buffer = new byte[prefix.Length + message.Length];
        prefix.CopyTo(buffer, 0);
        message.CopyTo(buffer.AsSpan(prefix.Length));
        return Keccak256.Hash(buffer);
    }

    /// <summary>Hashes the UTF-8 bytes of <paramref name="message"/>.</summary>
    public static Hash32 Hash(string message) => Hash(Encoding.UTF8.GetBytes(message));

    public static Signature Sign(EthKey key, ReadOnlySpan<byte> message) => EthSigner.Sign(Hash(message), key);

    public static Signature Sign(EthKey key, string message) => EthSigner.Sign(Hash(message), key);

    public static Address RecoverSigner(ReadOnlySpan<byte> message, Signature signature) => EthSigner.Recover(Hash(message), signature);

    public static Address RecoverSigner(string message, Signature signature) => EthSigner.Recover(Hash(message), signature);
}
