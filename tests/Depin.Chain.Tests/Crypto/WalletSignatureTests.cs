using Depin.Chain.Tests.Support;
using Nethereum.Signer;

namespace Depin.Chain.Tests.Crypto;

public class WalletSignatureTests
{
    private static readonly Hash32 HalfN = Hash32.Parse("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

    [Fact]
    public void Personal_sign_signature_equals_cast_wallet_sign_byte_for_byte()
    {
        var random = Random32.Seeded(20);
        var cases = Enumerable.Range(0, 40).Select(i => (Key: random.NextKey(), Message: "msg " + random.AsciiText(i * 3))).ToList();

        string[] expected = Cast.RunMany(cases, c => ["wallet", "sign", "--private-key", c.Key.ToHex(), c.Message]);

        for (int i = 0; i < cases.Count; i++)
        {
            Assert.Equal(expected[i], WalletSignature.Sign(cases[i].Key, cases[i].Message));
        }
    }

    [Fact]
    public void Personal_sign_of_binary_message_equals_cast_wallet_sign_of_its_hex()
    {
        var random = Random32.Seeded(21);
        var cases = Enumerable.Range(0, 25).Select(i => (Key: random.NextKey(), Message: random.Bytes(1 + i * 5))).ToList();

        string[] expected = Cast.RunMany(cases, c => ["wallet", "sign", "--private-key", c.Key.ToHex(), Hex.Encode(c.Message)]);

        for (int i = 0; i < cases.Count; i++)
        {
            Assert.Equal(expected[i], WalletSignature.Sign(cases[i].Key, cases[i].Message));
        }
    }

    [Fact]
    public void Cast_wallet_verify_accepts_our_signatures()
    {
        var random = Random32.Seeded(22);
        var cases = Enumerable.Range(0, 25)
            .Select(i =>
            {
                EthECKey key = random.NextKey();
                string message = "claim epoch " + i + " " + random.AsciiText(20);
                return (key.Address, Message: message, Signature: WalletSignature.Sign(key, message));
            })
            .ToList();

        string[] verdicts = Cast.RunMany(cases, c => ["wallet", "verify", "--address", c.Address.ToString(), c.Message, c.Signature]);

        Assert.All(verdicts, v => Assert.StartsWith("Validation succeeded", v));
    }

    [Fact]
    public void Recover_returns_the_address_of_the_signing_key_and_another_for_another_message()
    {
        var random = Random32.Seeded(23);
        for (int i = 0; i < 50; i++)
        {
            EthECKey key = random.NextKey();
            string message = random.AsciiText(i);
            string signature = WalletSignature.Sign(key, message);

            Assert.True(WalletSignature.TryRecover(message, signature, out Address signer, out _));
            Assert.Equal(key.Address, signer);
            Assert.True(WalletSignature.TryRecover(message + "!", signature, out Address other, out _));
            Assert.NotEqual(key.Address, other);
        }
    }

    [Fact]
    public void Cast_signatures_recover_to_cast_addresses()
    {
        var random = Random32.Seeded(25);
        var keys = Enumerable.Range(0, 10).Select(_ => random.NextKey()).ToList();

        string[] signatures = Cast.RunMany(keys, k => ["wallet", "sign", "--private-key", k.ToHex(), "bind wallet"]);
        string[] addresses = Cast.RunMany(keys, k => ["wallet", "address", "--private-key", k.ToHex()]);

        for (int i = 0; i < keys.Count; i++)
        {
            Assert.True(WalletSignature.TryRecover("bind wallet", signatures[i], out Address signer, out _));
            Assert.Equal(Address.Parse(addresses[i]), signer);
        }
    }

    [Theory]
    [InlineData(null, "65 bytes")]
    [InlineData("0x1234", "65 bytes")]
    [InlineData("not hex at all", "65 bytes")]
    public void Malformed_signatures_are_refused_with_a_reason(string? signature, string reason)
    {
        Assert.False(WalletSignature.TryRecover("x", signature, out _, out string? error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void A_v_other_than_27_or_28_is_refused()
    {
        byte[] bytes = Hex.Decode(WalletSignature.Sign(EthECKey.GenerateKey(), "x"));
        bytes[64] = 5;

        Assert.False(WalletSignature.TryRecover("x", Hex.Encode(bytes), out _, out string? error));
        Assert.Contains("v is 5", error);
    }

    [Fact]
    public void Signatures_are_deterministic_low_s_and_carry_v_27_or_28()
    {
        var random = Random32.Seeded(24);
        for (int i = 0; i < 50; i++)
        {
            EthECKey key = random.NextKey();
            string message = random.AsciiText(10);

            byte[] first = Hex.Decode(WalletSignature.Sign(key, message));
            byte[] second = Hex.Decode(WalletSignature.Sign(key, message));

            Assert.Equal(first, second);
            Assert.True(new Hash32(first.AsSpan(32, 32)).CompareTo(HalfN) <= 0, "s is above n/2");
            Assert.Contains(first[64], new byte[] { 27, 28 });
        }
    }

    [Fact]
    public void Personal_sign_hash_matches_cast_hash_message()
    {
        Assert.Equal(Cast.Run("hash-message", "hello world"), WalletSignature.Hash("hello world").ToString());
    }
}
