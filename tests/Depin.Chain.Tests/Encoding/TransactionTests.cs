using System.Numerics;
using System.Text.Json;
using Depin.Chain.Tests.Support;

namespace Depin.Chain.Tests.Encoding;

public class TransactionTests
{
    private sealed record Case(EthKey Key, ulong ChainId, ulong Nonce, ulong Gas, BigInteger Fee, BigInteger Tip, Address To, BigInteger Value, byte[] Data);

    private static List<Case> Cases(int seed, int count)
    {
        var random = Random32.Seeded(seed);
        return Enumerable.Range(0, count)
            .Select(i => new Case(
                random.NextKey(),
                i % 3 == 0 ? 31337UL : (ulong)random.Next(1, int.MaxValue),
                i % 4 == 0 ? 0UL : (ulong)random.NextInt64(0, 1L << 40),
                (ulong)random.Next(21000, 30_000_000),
                new BigInteger(random.NextInt64(1, long.MaxValue)) * random.Next(1, 1000),
                i % 5 == 0 ? BigInteger.Zero : random.NextInt64(0, 1L << 40),
                random.NextAddress(),
                i % 2 == 0 ? BigInteger.Zero : new BigInteger(random.Bytes(12), isUnsigned: true),
                random.Bytes(i % 3 == 1 ? 0 : random.Next(1, 300))))
            .ToList();
    }

    private static string[] MakeTx(Case c, bool legacy)
    {
        var args = new List<string>
        {
            "mktx", "--private-key", c.Key.ToHex(), "--chain", c.ChainId.ToString(), "--nonce", c.Nonce.ToString(),
            "--gas-limit", c.Gas.ToString(), "--gas-price", c.Fee.ToString(), "--value", c.Value.ToString(),
        };
        if (legacy)
        {
            args.Add("--legacy");
        }
        else
        {
            args.AddRange(["--priority-gas-price", c.Tip.ToString()]);
        }

        args.Add(c.To.ToString());
        if (c.Data.Length > 0)
        {
            args.Add(Hex.Encode(c.Data));
        }

        return [.. args];
    }

    [Fact]
    public void Signed_eip1559_transaction_equals_cast_mktx_byte_for_byte()
    {
        List<Case> cases = Cases(50, 30);

        string[] expected = Cast.RunMany(cases, c => MakeTx(c, legacy: false));

        for (int i = 0; i < cases.Count; i++)
        {
            Case c = cases[i];
            byte[] raw = new Eip1559Transaction(c.ChainId, c.Nonce, c.Tip, c.Fee, c.Gas, c.To, c.Value, c.Data).Sign(c.Key);
            Assert.Equal(expected[i], Hex.Encode(raw));
        }
    }

    [Fact]
    public void Signed_legacy_eip155_transaction_equals_cast_mktx_byte_for_byte()
    {
        List<Case> cases = Cases(51, 30);

        string[] expected = Cast.RunMany(cases, c => MakeTx(c, legacy: true));

        for (int i = 0; i < cases.Count; i++)
        {
            Case c = cases[i];
            byte[] raw = new LegacyTransaction(c.ChainId, c.Nonce, c.Fee, c.Gas, c.To, c.Value, c.Data).Sign(c.Key);
            Assert.Equal(expected[i], Hex.Encode(raw));
        }
    }

    [Fact]
    public void Cast_decodes_our_eip1559_transaction_with_our_sender_and_fields()
    {
        List<Case> cases = Cases(52, 10);
        var raws = cases.Select(c => new Eip1559Transaction(c.ChainId, c.Nonce, c.Tip, c.Fee, c.Gas, c.To, c.Value, c.Data).Sign(c.Key)).ToList();

        string[] decoded = Cast.RunMany(raws, raw => ["decode-transaction", Hex.Encode(raw)]);

        for (int i = 0; i < cases.Count; i++)
        {
            string json = decoded[i].StartsWith('"') ? JsonSerializer.Deserialize<string>(decoded[i])! : decoded[i];
            using JsonDocument doc = JsonDocument.Parse(json);
            JsonElement tx = doc.RootElement;
            Assert.Equal(cases[i].Key.Address.ToLowerHex(), tx.GetProperty("signer").GetString());
            Assert.Equal(cases[i].To.ToLowerHex(), tx.GetProperty("to").GetString());
            Assert.Equal("0x" + cases[i].Nonce.ToString("x"), tx.GetProperty("nonce").GetString());
            Assert.Equal(Hex.Encode(cases[i].Data), tx.GetProperty("input").GetString());
            Assert.Equal(Keccak256.Hash(raws[i]).ToString(), tx.GetProperty("hash").GetString());
        }
    }
}
