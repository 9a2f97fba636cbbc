using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Depin.Chain;
using Microsoft.Extensions.Options;

namespace Depin.Rewards.Wallets;

/// <summary>
/// Wallet challenges in an EIP-4361 (Sign-In with Ethereum) style text that names the platform, the address, a random
/// 128-bit nonce, issued-at and expiry. Verification recovers the signer with <see cref="WalletSignature.TryRecover"/>
/// and compares the message byte for byte with the one issued under its nonce. Challenges live in process memory
/// (one instance; a farm of instances would need a shared store).
/// </summary>
public sealed class WalletChallenges(IOptions<RewardsOptions> options, TimeProvider time) : IWalletChallenges, IWalletVerifier
{
    private const string Statement = "Sign this message to prove you control this wallet and register it as a GPU provider payout address. It costs nothing and sends no transaction.";

    private readonly ConcurrentDictionary<string, Entry> _issued = new(StringComparer.Ordinal);

    private string Platform => options.Value.PlatformName;

    /// <summary>The first line of every challenge of this platform.</summary>
    public string Header => $"{Platform} wants you to sign in with your Ethereum account:";

    /// <summary>Outstanding challenges kept at most (the endpoint is anonymous); beyond it <see cref="Issue"/> refuses until some expire.</summary>
    public const int MaxOutstanding = 100_000;

    public WalletChallenge Issue(Address address)
    {
        Sweep();
        if (_issued.Count >= MaxOutstanding)
        {
            throw new WalletChallengeLimitException(MaxOutstanding);
        }

        DateTimeOffset now = Truncate(time.GetUtcNow());
        string nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        DateTimeOffset expires = now + options.Value.ChallengeLifetime;
        string message = string.Join('\n',
            Header,
            address.ToString(),
            string.Empty,
            Statement,
            string.Empty,
            $"Platform: {Platform}",
            $"Nonce: {nonce}",
            $"Issued At: {now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}",
            $"Expiration Time: {expires.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}");
        var challenge = new WalletChallenge(address, nonce, now, expires, message);
        _issued[nonce] = new Entry(challenge);
        return challenge;
    }

    public WalletVerification Verify(string? address, string? message, string? signature)
    {
        if (!Address.TryParse(address, out Address claimed))
        {
            return WalletVerification.Refused(WalletVerificationFailure.InvalidAddress, $"'{address}' is not an Ethereum address (0x + 40 hex digits, valid EIP-55 checksum if mixed case).");
        }

        if (string.IsNullOrEmpty(message))
        {
            return WalletVerification.Refused(WalletVerificationFailure.MalformedMessage, "The message is empty.");
        }

        string normalized = message.Replace("\r\n", "\n", StringComparison.Ordinal);
        string[] lines = normalized.Split('\n');
        if (!lines[0].EndsWith(" wants you to sign in with your Ethereum account:", StringComparison.Ordinal))
        {
            return WalletVerification.Refused(WalletVerificationFailure.MalformedMessage, "The message is not a wallet challenge.");
        }

        if (!string.Equals(lines[0], Header, StringComparison.Ordinal) || Field(lines, "Platform: ") is { } platform && platform != Platform)
        {
            return WalletVerification.Refused(WalletVerificationFailure.WrongPlatform, $"The message was not issued by {Platform}.");
        }

        if (Field(lines, "Nonce: ") is not { } nonce)
        {
            return WalletVerification.Refused(WalletVerificationFailure.MalformedMessage, "The message has no nonce.");
        }

        if (!_issued.TryGetValue(nonce, out Entry? entry))
        {
            return WalletVerification.Refused(WalletVerificationFailure.UnknownNonce, "The challenge nonce was not issued here (or has been forgotten after expiry).");
        }

        if (!string.Equals(normalized, entry.Challenge.Message, StringComparison.Ordinal))
        {
            return WalletVerification.Refused(WalletVerificationFailure.TamperedMessage, "The message differs from the challenge issued with this nonce.");
        }

        if (entry.Challenge.Address != claimed)
        {
            return WalletVerification.Refused(WalletVerificationFailure.AddressMismatch, $"The challenge was issued to {entry.Challenge.Address}, not {claimed}.");
        }

        if (entry.Used)
        {
            return WalletVerification.Refused(WalletVerificationFailure.Replayed, "The challenge was already used; request a new one.");
        }

        if (time.GetUtcNow() >= entry.Challenge.ExpiresAt)
        {
            return WalletVerification.Refused(WalletVerificationFailure.Expired, $"The challenge expired at {entry.Challenge.ExpiresAt:O}; request a new one.");
        }

        if (!WalletSignature.TryRecover(normalized, signature, out Address signer, out string? error))
        {
            return WalletVerification.Refused(WalletVerificationFailure.MalformedSignature, $"The signature is not a valid 65-byte personal_sign signature: {error}.");
        }

        if (signer != claimed)
        {
            return WalletVerification.Refused(WalletVerificationFailure.AddressMismatch, $"The signature was made by {signer}, not {claimed}.");
        }

        // Compare-and-set: of two concurrent verifications of one challenge, exactly one succeeds.
        if (!_issued.TryUpdate(nonce, entry with { Used = true }, entry))
        {
            return WalletVerification.Refused(WalletVerificationFailure.Replayed, "The challenge was already used; request a new one.");
        }

        return WalletVerification.Ok(claimed, nonce);
    }

    public WalletVerification VerifySignature(string? address, string? signature)
    {
        if (!Address.TryParse(address, out Address claimed))
        {
            return WalletVerification.Refused(WalletVerificationFailure.InvalidAddress, $"'{address}' is not an Ethereum address (0x + 40 hex digits, valid EIP-55 checksum if mixed case).");
        }

        if (!WalletSignature.IsWellFormed(signature, out string? malformed))
        {
            return WalletVerification.Refused(WalletVerificationFailure.MalformedSignature, $"The signature is not a valid 65-byte personal_sign signature: {malformed}.");
        }

        bool anyIssued = false;
        foreach (Entry entry in _issued.Values.Where(e => e.Challenge.Address == claimed).OrderByDescending(e => e.Challenge.IssuedAt))
        {
            anyIssued = true;
            if (WalletSignature.TryRecover(entry.Challenge.Message, signature, out Address signer, out _) && signer == claimed)
            {
                return Verify(address, entry.Challenge.Message, signature);
            }
        }

        return anyIssued
            ? WalletVerification.Refused(WalletVerificationFailure.AddressMismatch, $"The signature is not {claimed}'s signature of any challenge issued to it.")
            : WalletVerification.Refused(WalletVerificationFailure.UnknownNonce, $"No challenge was issued to {claimed} (or it was forgotten after expiry); request one first.");
    }

    private static string? Field(string[] lines, string prefix)
    {
        foreach (string line in lines)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..];
            }
        }

        return null;
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    /// <summary>Forgets challenges a lifetime past their expiry; used ones are kept that long so replays are named as such.</summary>
    private void Sweep()
    {
        DateTimeOffset horizon = time.GetUtcNow() - options.Value.ChallengeLifetime;
        foreach ((string nonce, Entry entry) in _issued)
        {
            if (entry.Challenge.ExpiresAt < horizon)
            {
                _issued.TryRemove(nonce, out _);
            }
        }
    }

    private sealed record Entry(WalletChallenge Challenge, bool Used = false);
}
