using Nethereum.Signer;

namespace Depin.Chain;

/// <summary>Process-wide Nethereum settings every entry point of this library applies first.</summary>
internal static class NethereumDefaults
{
    private static int _applied;

    /// <summary>Signing and recovery through NBitcoin.Secp256k1: about 6× faster than the BouncyCastle default, the same signatures.</summary>
    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 0)
        {
            EthECKey.SignRecoverable = true;
        }
    }
}
