using Nethereum.Signer;

namespace Depin.Chain;

/// <summary>Our <see cref="Depin.Chain.Address"/> and hex forms of a Nethereum <see cref="EthECKey"/>.</summary>
public static class EthECKeyExtensions
{
    extension(EthECKey key)
    {
        /// <summary>The key's Ethereum address.</summary>
        public Address Address => new(key.GetPublicAddressAsBytes());

        /// <summary>The private key as 0x-prefixed hex. Handle with care.</summary>
        public string ToHex() => Hex.Encode(key.GetPrivateKeyAsBytes());
    }
}
