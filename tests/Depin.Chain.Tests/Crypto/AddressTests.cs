using Depin.Chain.Tests.Support;
using Nethereum.Signer;

namespace Depin.Chain.Tests.Crypto;

public class AddressTests
{
    [Fact]
    public void Checksummed_address_matches_cast_on_random_addresses()
    {
        var random = Random32.Seeded(10);
        var addresses = Enumerable.Range(0, 40).Select(_ => random.NextAddress()).ToList();

        string[] expected = Cast.RunMany(addresses, a => ["to-check-sum-address", a.ToLowerHex()]);

        for (int i = 0; i < addresses.Count; i++)
        {
            Assert.Equal(expected[i], addresses[i].ToString());
        }
    }

    [Fact]
    public void Parse_round_trips_checksummed_lower_and_upper_case_forms()
    {
        var random = Random32.Seeded(11);
        for (int i = 0; i < 50; i++)
        {
            Address address = random.NextAddress();
            string hex = address.ToLowerHex()[2..];

            Assert.Equal(address, Address.Parse(address.ToString()));
            Assert.Equal(address, Address.Parse("0x" + hex));
            Assert.Equal(address, Address.Parse("0x" + hex.ToUpperInvariant()));
        }
    }

    [Fact]
    public void Parse_rejects_a_mixed_case_address_with_a_wrong_checksum()
    {
        const string valid = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
        string broken = "0x70997970c51812dc3A010C7d01b50e0d17dc79C8";

        Assert.Equal(valid, Address.Parse(valid).ToString());
        FormatException error = Assert.Throws<FormatException>(() => Address.Parse(broken));
        Assert.Contains("checksum", error.Message);
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("0x70997970c51812dc3a010c7d01b50e0d17dc79c8ff")]
    [InlineData("0xz0997970c51812dc3a010c7d01b50e0d17dc79c8")]
    public void Parse_rejects_input_that_is_not_20_bytes_of_hex(string text)
    {
        Assert.False(Address.TryParse(text, out _));
    }

    [Fact]
    public void Address_from_private_key_matches_cast_wallet_address()
    {
        var random = Random32.Seeded(12);
        var keys = Enumerable.Range(0, 40).Select(_ => random.NextKey()).ToList();

        string[] expected = Cast.RunMany(keys, k => ["wallet", "address", "--private-key", k.ToHex()]);

        for (int i = 0; i < keys.Count; i++)
        {
            Assert.Equal(expected[i], keys[i].Address.ToString());
        }
    }

    [Fact]
    public void Anvil_account_1_private_key_gives_its_well_known_address()
    {
        EthECKey key = new EthECKey("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

        Assert.Equal("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", key.Address.ToString());
    }
}
