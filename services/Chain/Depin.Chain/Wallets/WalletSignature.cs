using System.Diagnostics.CodeAnalysis;
using Nethereum.Signer;

namespace Depin.Chain;

/// <summary>
/// EIP-191 version 0x45 (personal_sign) signatures by Nethereum's <see cref="EthereumMessageSigner"/>, as 0x-hex r ‖ s ‖ v:
/// what wallets produce and what the platform's wallet proofs check.
/// </summary>
public static class WalletSignature
{
    private static readonly EthereumMessageSigner Signer = new();

    /// <summary>Signs the UTF-8 bytes of <paramref name="message"/>.</summary>
    public static string Sign(EthECKey key, string message)
    {
        NethereumDefaults.Apply();
        return Signer.EncodeUTF8AndSign(message, key);
    }

    public static string Sign(EthECKey key, byte[] message)
    {
        NethereumDefaults.Apply();
        return Signer.Sign(message, key);
    }

    /// <summary>The personal_sign hash: keccak256("\x19Ethereum Signed Message:\n" + len + message).</summary>
    public static Hash32 Hash(string message) => new(Signer.HashPrefixedMessage(System.Text.Encoding.UTF8.GetBytes(message)));

    /// <summary>True when <paramref name="signature"/> is 65 bytes of hex r ‖ s ‖ v with v in {0, 1, 27, 28}.</summary>
    public static bool IsWellFormed([NotNullWhen(true)] string? signature, [NotNullWhen(false)] out string? error)
    {
        if (signature is null || !Hex.TryDecode(signature, out byte[]? bytes) || bytes.Length != 65)
        {
            error = "expected 65 bytes of hex (r ‖ s ‖ v)";
            return false;
        }

        error = bytes[64] is 0 or 1 or 27 or 28 ? null : $"v is {bytes[64]}, not 27 or 28";
        return error is null;
    }

    /// <summary>
    /// Recovers the address that signed <paramref name="message"/>; false with a reason when <paramref name="signature"/>
    /// is not 65 bytes of hex with v in {0, 1, 27, 28}, or names no key.
    /// </summary>
    public static bool TryRecover(string message, string? signature, out Address signer, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(message);
        NethereumDefaults.Apply();
        signer = default;
        if (!IsWellFormed(signature, out error))
        {
            return false;
        }

        try
        {
            signer = Address.Parse(Signer.EncodeUTF8AndEcRecover(message, signature));
            error = null;
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or ArithmeticException)
        {
            error = "the signature names no key";
            return false;
        }
    }
}
