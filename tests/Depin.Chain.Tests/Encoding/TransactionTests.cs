using System.Numerics;
using System.Text.Json;
using Depin.Chain.Tests.Support;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3.Accounts;
using Nethereum.Signer;

namespace Depin.Chain.Tests.Encoding;

public class TransactionTests
{
    private sealed record Case(EthECKey Key, ulong ChainId, ulong Nonce, ulong Gas, BigInteger Fee, BigInteger Tip, Address To, BigInteger Value, byte[] Data);

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

    /// <summary>The signing path <see cref="ChainClient"/> uses: a Nethereum account's transaction manager.</summary>
    private static async Task<byte[]> SignAsync(Case c, bool legacy)
    {
        var account = new Account(c.Key, new BigInteger(c.ChainId));
        account.TransactionManager.UseLegacyAsDefault = legacy;
        account.TransactionManager.Client = new RpcClient(new Uri("http://127.0.0.1:9"));
        var input = new TransactionInput
        {
            From = account.Address,
            To = c.To.ToString(),
            Nonce = new HexBigInteger(c.Nonce),
            Gas = new HexBigInteger(c.Gas),
            Value = new HexBigInteger(c.Value),
            Data = c.Data.Length > 0 ? Hex.Encode(c.Data) : null,
        };
        if (legacy)
        {
            input.GasPrice = new HexBigInteger(c.Fee);
        }
        else
        {
            input.Type = new HexBigInteger(2);
            input.MaxFeePerGas = new HexBigInteger(c.Fee);
            input.MaxPriorityFeePerGas = new HexBigInteger(c.Tip);
        }

        return Hex.Decode(await account.TransactionManager.SignTransactionAsync(input));
    }

    [Fact]
    public async Task Signed_eip1559_transaction_equals_cast_mktx_byte_for_byte()
    {
        List<Case> cases = Cases(50, 30);

        string[] expected = Cast.RunMany(cases, c => MakeTx(c, legacy: false));

        for (int i = 0; i < cases.Count; i++)
        {
            Assert.Equal(expected[i], Hex.Encode(await SignAsync(cases[i], legacy: false)));
        }
    }

    [Fact]
    public async Task Signed_legacy_eip155_transaction_equals_cast_mktx_byte_for_byte()
    {
        List<Case> cases = Cases(51, 30);

        string[] expected = Cast.RunMany(cases, c => MakeTx(c, legacy: true));

        for (int i = 0; i < cases.Count; i++)
        {
            Assert.Equal(expected[i], Hex.Encode(await SignAsync(cases[i], legacy: true)));
        }
    }

    [Fact]
    public async Task Cast_decodes_our_eip1559_transaction_with_our_sender_and_fields()
    {
        List<Case> cases = Cases(52, 10);
        var raws = new List<byte[]>();
        foreach (Case c in cases)
        {
            raws.Add(await SignAsync(c, legacy: false));
        }

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
            Assert.Equal(Hash32.Keccak(raws[i]).ToString(), tx.GetProperty("hash").GetString());
        }
    }
}
