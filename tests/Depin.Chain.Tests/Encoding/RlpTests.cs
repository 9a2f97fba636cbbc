using System.Text;
using Depin.Chain.Tests.Support;

namespace Depin.Chain.Tests.Encoding;

public class RlpTests
{
    private static RlpItem RandomItem(Random random, int depth)
    {
        if (depth == 0 || random.Next(3) == 0)
        {
            int length = random.Next(5) switch
            {
                0 => 0,
                1 => 1,
                2 => random.Next(2, 56),
                3 => random.Next(56, 300),
                _ => 55 + random.Next(0, 3),
            };
            byte[] bytes = random.Bytes(length);
            if (length == 1 && random.Next(2) == 0)
            {
                bytes[0] &= 0x7f;
            }

            return RlpItem.String(bytes);
        }

        return RlpItem.List(Enumerable.Range(0, random.Next(0, 6)).Select(_ => RandomItem(random, depth - 1)).ToList());
    }

    private static string ToCastJson(RlpItem item)
    {
        if (!item.IsList)
        {
            return "\"" + Hex.Encode(item.Bytes) + "\"";
        }

        var json = new StringBuilder("[");
        json.AppendJoin(",", item.Items!.Select(ToCastJson));
        return json.Append(']').ToString();
    }

    [Fact]
    public void Rlp_of_random_nested_items_equals_cast_to_rlp()
    {
        var random = Random32.Seeded(40);
        var items = Enumerable.Range(0, 40).Select(_ => RlpItem.List(Enumerable.Range(0, random.Next(1, 5)).Select(_ => RandomItem(random, 3)).ToList())).ToList();

        string[] expected = Cast.RunMany(items, item => ["to-rlp", ToCastJson(item)]);

        for (int i = 0; i < items.Count; i++)
        {
            Assert.Equal(expected[i], Hex.Encode(items[i].Encode()));
        }
    }

    [Fact]
    public void Decoding_an_encoded_item_gives_back_the_same_encoding()
    {
        var random = Random32.Seeded(41);
        for (int i = 0; i < 200; i++)
        {
            byte[] encoded = RandomItem(random, 4).Encode();

            Assert.Equal(encoded, RlpItem.Decode(encoded).Encode());
        }
    }

    [Theory]
    [InlineData(0UL, "0x80")]
    [InlineData(1UL, "0x01")]
    [InlineData(127UL, "0x7f")]
    [InlineData(128UL, "0x8180")]
    [InlineData(1024UL, "0x820400")]
    public void Scalars_use_minimal_big_endian_bytes(ulong value, string expected)
    {
        Assert.Equal(expected, Hex.Encode(Rlp.EncodeUInt(value)));
    }

    [Fact]
    public void Non_canonical_single_byte_is_rejected()
    {
        Assert.Throws<FormatException>(() => RlpItem.Decode([0x81, 0x05]));
    }
}
