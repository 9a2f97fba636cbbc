using Depin.Chain;
using Depin.Rewards.Wallets;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nethereum.Signer;

namespace Depin.Rewards.Tests.Wallets;

public class WalletChallengesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly EthECKey _wallet = EthECKey.GenerateKey();
    private readonly WalletChallenges _challenges;

    public WalletChallengesTests() => _challenges = Create("Depin Platform");

    private WalletChallenges Create(string platform) =>
        new(Options.Create(new RewardsOptions { PlatformName = platform, ChallengeLifetime = TimeSpan.FromMinutes(5) }), _time);

    private string Sign(string message, EthECKey? key = null) => WalletSignature.Sign(key ?? _wallet, message);

    [Fact]
    public void Challenge_names_the_platform_address_nonce_and_times()
    {
        WalletChallenge c = _challenges.Issue(_wallet.Address);

        Assert.StartsWith("Depin Platform wants you to sign in with your Ethereum account:\n" + _wallet.Address + "\n", c.Message);
        Assert.Contains($"Nonce: {c.Nonce}", c.Message);
        Assert.Contains("Issued At: 2026-11-25T12:00:00Z", c.Message);
        Assert.Contains("Expiration Time: 2026-11-25T12:05:00Z", c.Message);
        Assert.Equal(32, c.Nonce.Length);
        Assert.NotEqual(c.Nonce, _challenges.Issue(_wallet.Address).Nonce);
    }

    [Fact]
    public void Valid_signature_is_accepted()
    {
        WalletChallenge c = _challenges.Issue(_wallet.Address);

        WalletVerification result = _challenges.Verify(_wallet.Address.ToString(), c.Message, Sign(c.Message));

        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(_wallet.Address, result.Address);
        Assert.Equal(c.Nonce, result.Nonce);
    }

    [Fact]
    public void Lower_case_address_and_crlf_line_endings_are_accepted()
    {
        WalletChallenge c = _challenges.Issue(_wallet.Address);

        WalletVerification result = _challenges.Verify(_wallet.Address.ToLowerHex(), c.Message.Replace("\n", "\r\n"), Sign(c.Message));

        Assert.True(result.Succeeded, result.Detail);
    }

    [Fact]
    public void Replayed_challenge_is_refused()
    {
        WalletChallenge c = _challenges.Issue(_wallet.Address);
        string signature = Sign(c.Message);
        Assert.True(_challenges.Verify(_wallet.Address.ToString(), c.Message, signature).Succeeded);

        WalletVerification replay = _challenges.Verify(_wallet.Address.ToString(), c.Message, signature);

        Assert.Equal(WalletVerificationFailure.Replayed, replay.Failure);
    }

    [Fact]
    public void Expired_challenge_is_refused()
    {
        WalletChallenge c = _challenges.Issue(_wallet.Address);
        _time.Advance(TimeSpan.FromMinutes(5));

        WalletVerification result = _challenges.Verify(_wallet.Address.ToString(), c.Message, Sign(c.Message));

        Assert.Equal(WalletVerificationFailure.Expired, result.Failure);
    }

    [Fact]
    public void Claiming_another_address_than_the_challenge_was_issued_to_is_refused()
    {
        EthECKey other = EthECKey.GenerateKey();
        WalletChallenge c = _challenges.Issue(_wallet.Address);

        WalletVerification result = _challenges.Verify(other.Address.ToString(), c.Message, Sign(c.Message, other));

        Assert.Equal(WalletVerificationFailure.AddressMismatch, result.Failure);
    }

    [Fact]
    public void Signature_by_another_wallet_is_refused()
    {
        WalletChallenge c = _challenges.Issue(_wallet.Address);

        WalletVerification result = _challenges.Verify(_wallet.Address.ToString(), c.Message, Sign(c.Message, EthECKey.GenerateKey()));

        Assert.Equal(WalletVerificationFailure.AddressMismatch, result.Failure);
        Assert.Contains("signature was made by", result.Detail);
    }

    [Fact]
    public void Challenge_of_another_platform_is_refused()
    {
        WalletChallenge foreign = Create("Evil Exchange").Issue(_wallet.Address);

        WalletVerification result = _challenges.Verify(_wallet.Address.ToString(), foreign.Message, Sign(foreign.Message));

        Assert.Equal(WalletVerificationFailure.WrongPlatform, result.Failure);
    }

    [Fact]
    public void Tampered_message_is_refused_even_when_signed()
    {
        WalletChallenge c = _challenges.Issue(_wallet.Address);
        string tampered = c.Message.Replace("Expiration Time: 2026-11-25T12:05:00Z", "Expiration Time: 2099-01-01T00:00:00Z");

        WalletVerification result = _challenges.Verify(_wallet.Address.ToString(), tampered, Sign(tampered));

        Assert.Equal(WalletVerificationFailure.TamperedMessage, result.Failure);
    }

    [Fact]
    public void Unknown_nonce_is_refused()
    {
        WalletChallenge c = Create("Depin Platform").Issue(_wallet.Address);

        WalletVerification result = _challenges.Verify(_wallet.Address.ToString(), c.Message, Sign(c.Message));

        Assert.Equal(WalletVerificationFailure.UnknownNonce, result.Failure);
    }

    [Theory]
    [InlineData("not-an-address", "x", "0x00", WalletVerificationFailure.InvalidAddress)]
    [InlineData("0x0000000000000000000000000000000000000001", "hello", "0x00", WalletVerificationFailure.MalformedMessage)]
    public void Malformed_input_is_refused_with_its_reason(string address, string message, string signature, WalletVerificationFailure expected)
    {
        Assert.Equal(expected, _challenges.Verify(address, message, signature).Failure);
    }

    [Fact]
    public void Malformed_signature_is_refused()
    {
        WalletChallenge c = _challenges.Issue(_wallet.Address);

        WalletVerification result = _challenges.Verify(_wallet.Address.ToString(), c.Message, "0x1234");

        Assert.Equal(WalletVerificationFailure.MalformedSignature, result.Failure);
        Assert.True(_challenges.Verify(_wallet.Address.ToString(), c.Message, Sign(c.Message)).Succeeded);
    }

    [Fact]
    public void Signature_alone_verifies_against_the_outstanding_challenge_of_the_address_once()
    {
        _challenges.Issue(_wallet.Address);
        WalletChallenge latest = _challenges.Issue(_wallet.Address);
        string signature = Sign(latest.Message);

        WalletVerification ok = _challenges.VerifySignature(_wallet.Address.ToLowerHex(), signature);
        WalletVerification replay = _challenges.VerifySignature(_wallet.Address.ToString(), signature);

        Assert.True(ok.Succeeded, ok.Detail);
        Assert.Equal(latest.Nonce, ok.Nonce);
        Assert.Equal(WalletVerificationFailure.Replayed, replay.Failure);
    }

    [Fact]
    public void Signature_alone_is_refused_without_a_challenge_or_from_another_key()
    {
        EthECKey stranger = EthECKey.GenerateKey();
        WalletVerification none = _challenges.VerifySignature(stranger.Address.ToString(), Sign("anything", stranger));
        WalletChallenge c = _challenges.Issue(_wallet.Address);

        WalletVerification other = _challenges.VerifySignature(_wallet.Address.ToString(), Sign(c.Message, stranger));

        Assert.Equal(WalletVerificationFailure.UnknownNonce, none.Failure);
        Assert.Equal(WalletVerificationFailure.AddressMismatch, other.Failure);
    }
}
