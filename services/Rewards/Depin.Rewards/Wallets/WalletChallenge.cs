using Depin.Chain;

namespace Depin.Rewards.Wallets;

/// <summary>An issued challenge: the exact <see cref="Message"/> the wallet signs with personal_sign, valid once until <see cref="ExpiresAt"/>.</summary>
public sealed record WalletChallenge(Address Address, string Nonce, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string Message);

/// <summary>Why a wallet proof was refused.</summary>
public enum WalletVerificationFailure
{
    None = 0,

    /// <summary>The claimed address is not 20 bytes of hex (or has a bad EIP-55 checksum).</summary>
    InvalidAddress,

    /// <summary>The signature is not 65 bytes of hex with v in {0, 1, 27, 28}, or no key recovers from it.</summary>
    MalformedSignature,

    /// <summary>The message is not a challenge of this format.</summary>
    MalformedMessage,

    /// <summary>The message names another platform (a challenge phished from, or meant for, another site).</summary>
    WrongPlatform,

    /// <summary>The message's nonce was never issued here.</summary>
    UnknownNonce,

    /// <summary>The message differs from the challenge issued with its nonce.</summary>
    TamperedMessage,

    /// <summary>The challenge was issued to, or the signature recovers to, another address than the one claimed.</summary>
    AddressMismatch,

    /// <summary>The challenge expired before it was verified.</summary>
    Expired,

    /// <summary>The challenge was already used for a successful verification.</summary>
    Replayed,
}

/// <summary>The outcome of a wallet proof: <see cref="Succeeded"/>, or a <see cref="Failure"/> with a human-readable <see cref="Detail"/>.</summary>
public sealed record WalletVerification(bool Succeeded, Address? Address, WalletVerificationFailure Failure, string Detail, string? Nonce = null)
{
    public static WalletVerification Ok(Address address, string nonce) => new(true, address, WalletVerificationFailure.None, "Verified.", nonce);

    public static WalletVerification Refused(WalletVerificationFailure failure, string detail) => new(false, null, failure, detail);
}

/// <summary>Too many outstanding challenges: try again once some expire.</summary>
public sealed class WalletChallengeLimitException(int limit) : Exception($"{limit} wallet challenges are outstanding; try again shortly.");

/// <summary>Issues wallet challenges.</summary>
public interface IWalletChallenges
{
    /// <summary>A fresh challenge for <paramref name="address"/>.</summary>
    WalletChallenge Issue(Address address);
}

/// <summary>Proves control of a wallet: checks an EIP-191 personal_sign signature over an issued challenge. A success consumes the challenge.</summary>
public interface IWalletVerifier
{
    /// <summary>Verifies <paramref name="signature"/> over <paramref name="message"/>, which must be a challenge issued to <paramref name="address"/>.</summary>
    WalletVerification Verify(string? address, string? message, string? signature);

    /// <summary>Verifies a signature over whichever outstanding challenge issued to <paramref name="address"/> it signs (for callers that keep only the signature).</summary>
    WalletVerification VerifySignature(string? address, string? signature);
}
