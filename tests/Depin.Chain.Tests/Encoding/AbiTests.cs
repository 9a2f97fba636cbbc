using System.Numerics;
using Depin.Chain.Tests.Support;

namespace Depin.Chain.Tests.Encoding;

public class AbiTests
{
    private static string Array(IEnumerable<Hash32> values) => "[" + string.Join(",", values) + "]";

    [Fact]
    public void Claim_arguments_encode_exactly_as_cast_abi_encode()
    {
        var random = Random32.Seeded(30);
        var cases = Enumerable.Range(0, 40)
            .Select(i => (Epoch: (BigInteger)random.NextInt64(), Account: random.NextAddress(), Amount: random.NextUInt128(),
                Proof: Enumerable.Range(0, i % 7).Select(_ => random.NextHash()).ToArray()))
            .ToList();

        string[] expected = Cast.RunMany(cases, c =>
            ["abi-encode", "f(uint256,address,uint256,bytes32[])", c.Epoch.ToString(), c.Account.ToString(), c.Amount.ToString(), Array(c.Proof)]);

        for (int i = 0; i < cases.Count; i++)
        {
            byte[] ours = new AbiEncoder().Uint256(cases[i].Epoch).Address(cases[i].Account).Uint256(cases[i].Amount).Bytes32Array(cases[i].Proof).Encode();
            Assert.Equal(expected[i], Hex.Encode(ours));
        }
    }

    [Fact]
    public void Strings_bytes_bools_and_full_width_uint256_encode_exactly_as_cast()
    {
        var random = Random32.Seeded(31);
        var cases = Enumerable.Range(0, 30)
            .Select(i => (Text: "t" + new string(random.AsciiText(i * 3).Where(char.IsAsciiLetterOrDigit).ToArray()), Data: random.Bytes(i * 2),
                Flag: i % 2 == 0, Word: random.NextHash(), Big: new BigInteger(random.Bytes(32), isUnsigned: true)))
            .ToList();

        string[] expected = Cast.RunMany(cases, c =>
            ["abi-encode", "f(string,bytes,bool,bytes32,uint256)", c.Text, Hex.Encode(c.Data), c.Flag ? "true" : "false", c.Word.ToString(), c.Big.ToString()]);

        for (int i = 0; i < cases.Count; i++)
        {
            (string text, byte[] data, bool flag, Hash32 word, BigInteger big) = cases[i];
            byte[] ours = new AbiEncoder().String(text).Bytes(data).Bool(flag).Bytes32(word).Uint256(big).Encode();
            Assert.Equal(expected[i], Hex.Encode(ours));
        }
    }

    [Fact]
    public void Decoder_reads_back_what_cast_encoded()
    {
        var random = Random32.Seeded(32);
        var cases = Enumerable.Range(0, 25)
            .Select(i => (Amount: new BigInteger(random.Bytes(32), isUnsigned: true), Account: random.NextAddress(), Flag: i % 3 == 0, Word: random.NextHash(),
                Proof: Enumerable.Range(0, i % 4).Select(_ => random.NextHash()).ToArray()))
            .ToList();

        string[] encoded = Cast.RunMany(cases, c =>
            ["abi-encode", "f(uint256,address,bool,bytes32,bytes32[])", c.Amount.ToString(), c.Account.ToString(), c.Flag ? "true" : "false", c.Word.ToString(), Array(c.Proof)]);

        for (int i = 0; i < cases.Count; i++)
        {
            var decoder = new AbiDecoder(Hex.Decode(encoded[i]));
            Assert.Equal(cases[i].Amount, decoder.Uint256(0));
            Assert.Equal(cases[i].Account, decoder.Address(1));
            Assert.Equal(cases[i].Flag, decoder.Bool(2));
            Assert.Equal(cases[i].Word, decoder.Bytes32(3));
            Assert.Equal(cases[i].Proof, decoder.Bytes32Array(4));
        }
    }

    [Theory]
    [InlineData("claim(uint256,address,uint256,bytes32[])")]
    [InlineData("setRoot(uint256,bytes32)")]
    [InlineData("anchor(uint64,bytes32)")]
    [InlineData("transfer(address,uint256)")]
    [InlineData("balanceOf(address)")]
    [InlineData("isClaimed(uint256,address)")]
    [InlineData("Error(string)")]
    public void Selector_matches_cast_sig(string signature)
    {
        Assert.Equal(Cast.Run("sig", signature), Hex.Encode(Abi.Selector(signature)));
    }

    [Theory]
    [InlineData("Transfer(address,address,uint256)")]
    [InlineData("Claimed(uint256,address,uint256)")]
    [InlineData("RootSet(uint256,bytes32)")]
    [InlineData("Anchored(uint64,bytes32)")]
    public void Event_topic_matches_cast_sig_event(string signature)
    {
        Assert.Equal(Cast.Run("sig-event", signature), Abi.EventTopic(signature).ToString());
    }

    [Fact]
    public void Revert_data_of_error_string_decodes_to_its_reason()
    {
        byte[] data = Abi.EncodeCall("Error(string)", new AbiEncoder().String("MerkleDistributor: already claimed"));

        Assert.Equal("0x08c379a0", Hex.Encode(data.AsSpan(0, 4)));
        Assert.Equal("MerkleDistributor: already claimed", Abi.DecodeRevertReason(data));
    }

    [Fact]
    public void Uint256_above_256_bits_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AbiEncoder().Uint256(BigInteger.One << 256));
    }
}
