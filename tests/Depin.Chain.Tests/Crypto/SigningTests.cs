using Depin.Chain.Tests.Support;

namespace Depin.Chain.Tests.Crypto;

public class SigningTests
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
            Assert.Equal(expected[i], PersonalSign.Sign(cases[i].Key, cases[i].Message).ToHex());
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
            Assert.Equal(expected[i], PersonalSign.Sign(cases[i].Key, cases[i].Message).ToHex());
        }
    }

    [Fact]
    public void Cast_wallet_verify_accepts_our_personal_sign_signatures()
    {
        var random = Random32.Seeded(22);
        var cases = Enumerable.Range(0, 25)
            .Select(i =>
            {
                EthKey key = random.NextKey();
                string message = "claim epoch " + i + " " + random.AsciiText(20);
                return (key.Address, Message: message, Signature: PersonalSign.Sign(key, message));
            })
            .ToList();

        string[] verdicts = Cast.RunMany(cases, c => ["wallet", "verify", "--address", c.Address.ToString(), c.Message, c.Signature.ToHex()]);

        Assert.All(verdicts, v => Assert.StartsWith("Validation succeeded", v));
    }

    [Fact]
    public void Recover_signer_returns_the_address_of_the_signing_key()
    {
        var random = Random32.Seeded(23);
        for (int i = 0; i < 50; i++)
        {
            EthKey key = random.NextKey();
            string message = random.AsciiText(i);

            Signature signature = PersonalSign.Sign(key, message);

            Assert.Equal(key.Address, PersonalSign.RecoverSigner(message, signature));
        }
    }

    [Fact]
    public void Recover_signer_of_another_message_is_a_different_address()
    {
        EthKey key = EthKey.FromHex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        Signature signature = PersonalSign.Sign(key, "pay 10");

        Assert.NotEqual(key.Address, PersonalSign.RecoverSigner("pay 11", signature));
    }

    [Fact]
    public void Signatures_are_deterministic_and_low_s()
    {
        var random = Random32.Seeded(24);
        for (int i = 0; i < 100; i++)
        {
            EthKey key = random.NextKey();
            Hash32 hash = random.NextHash();

            Signature first = EthSigner.Sign(hash, key);
            Signature second = EthSigner.Sign(hash, key);

            Assert.Equal(first, second);
            Assert.True(first.S.CompareTo(HalfN) <= 0, $"s = {first.S} is above n/2");
            Assert.Equal(key.Address, EthSigner.Recover(hash, first));
        }
    }

    [Fact]
    public void Signature_bytes_round_trip_with_v_27_or_28()
    {
        Signature signature = PersonalSign.Sign(EthKey.Generate(), "x");

        byte[] bytes = signature.ToBytes();

        Assert.Equal(65, bytes.Length);
        Assert.Contains(bytes[64], new byte[] { 27, 28 });
        Assert.Equal(signature, Signature.FromBytes(bytes));
    }

    [Fact]
    public void Personal_sign_hash_matches_cast_hash_message()
    {
        Assert.Equal(Cast.Run("hash-message", "hello world"), PersonalSign.Hash("hello world").ToString());
    }
}
