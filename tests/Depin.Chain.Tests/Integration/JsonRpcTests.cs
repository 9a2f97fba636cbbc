using System.Numerics;
using Depin.Chain.Tests.Support;

namespace Depin.Chain.Tests.Integration;

[Collection(AnvilCollection.Name)]
public class JsonRpcTests(AnvilFixture anvil)
{
    [Fact]
    public async Task Anvil_reports_chain_id_31337()
    {
        Assert.Equal(31337UL, await anvil.Rpc.GetChainIdAsync());
    }

    [Fact]
    public async Task Eip1559_transfer_signed_by_a_fresh_key_is_mined_and_moves_the_value()
    {
        EthKey sender = await anvil.FundedKeyAsync();
        Address recipient = EthKey.Generate().Address;
        var client = anvil.ClientFor(sender);

        TransactionReceipt receipt = await client.SendTransactionAsync(recipient, ReadOnlyMemory<byte>.Empty, 12_345);

        Assert.True(receipt.Succeeded);
        Assert.Equal(sender.Address, receipt.From);
        Assert.Equal(new BigInteger(12_345), await anvil.Rpc.GetBalanceAsync(recipient));
        Assert.Equal(1UL, await anvil.Rpc.GetTransactionCountAsync(sender.Address));
    }

    [Fact]
    public async Task Raw_eip1559_transaction_hash_is_the_keccak_of_its_bytes()
    {
        EthKey sender = await anvil.FundedKeyAsync();
        BigInteger baseFee = await anvil.Rpc.GetNextBaseFeeAsync();
        var tx = new Eip1559Transaction(31337, 0, 1_000_000_000, baseFee * 2 + 1_000_000_000, 21_000, EthKey.Generate().Address, 7, []);
        byte[] raw = tx.Sign(sender);

        Hash32 hash = await anvil.Rpc.SendRawTransactionAsync(raw);
        TransactionReceipt receipt = await anvil.Rpc.WaitForReceiptAsync(hash, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));

        Assert.Equal(Keccak256.Hash(raw), hash);
        Assert.True(receipt.Succeeded);
        Assert.Equal(21_000UL, receipt.GasUsed);
    }

    [Fact]
    public async Task Legacy_eip155_transaction_is_accepted_by_anvil()
    {
        EthKey sender = await anvil.FundedKeyAsync();
        BigInteger gasPrice = await anvil.Rpc.GetGasPriceAsync();
        byte[] raw = new LegacyTransaction(31337, 0, gasPrice * 2, 21_000, EthKey.Generate().Address, 1, []).Sign(sender);

        Hash32 hash = await anvil.Rpc.SendRawTransactionAsync(raw);
        TransactionReceipt receipt = await anvil.Rpc.WaitForReceiptAsync(hash, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));

        Assert.True(receipt.Succeeded);
        Assert.Equal(sender.Address, receipt.From);
    }

    [Fact]
    public async Task Unlocked_account_sends_through_eth_sendTransaction()
    {
        IReadOnlyList<Address> accounts = await anvil.Rpc.GetAccountsAsync();
        var client = new JsonRpcChainClient(anvil.Rpc, accounts[2]);
        Address recipient = EthKey.Generate().Address;

        TransactionReceipt receipt = await client.SendTransactionAsync(recipient, ReadOnlyMemory<byte>.Empty, 99);

        Assert.Equal(accounts[2], receipt.From);
        Assert.Equal(new BigInteger(99), await anvil.Rpc.GetBalanceAsync(recipient));
    }

    [Fact]
    public async Task Node_errors_become_json_rpc_exceptions_with_code_and_message()
    {
        var error = await Assert.ThrowsAsync<JsonRpcException>(() => anvil.Rpc.SendAsync("eth_noSuchMethod", []));

        Assert.Equal("eth_noSuchMethod", error.Method);
        Assert.Equal(-32601, error.Code);
        Assert.False(string.IsNullOrEmpty(error.NodeMessage));
    }

    [Fact]
    public async Task Waiting_for_an_unknown_transaction_times_out()
    {
        var error = await Assert.ThrowsAsync<TransactionFailedException>(() =>
            anvil.Rpc.WaitForReceiptAsync(Keccak256.Hash("nothing"u8), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(50)));

        Assert.Contains("No receipt", error.Message);
    }
}
