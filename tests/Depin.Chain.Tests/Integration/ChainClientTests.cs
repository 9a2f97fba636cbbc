using System.Numerics;
using Depin.Chain.Tests.Support;
using Nethereum.JsonRpc.Client;
using Nethereum.Signer;

namespace Depin.Chain.Tests.Integration;

[Collection(AnvilCollection.Name)]
public class ChainClientTests(AnvilFixture anvil)
{
    [Fact]
    public async Task Anvil_reports_chain_id_31337_and_a_genesis_block()
    {
        var client = anvil.ClientFor(anvil.Deployer);

        Assert.Equal(31337UL, await client.GetChainIdAsync());
        BlockHeader genesis = (await client.GetBlockAsync(0))!;
        Assert.Equal(0UL, genesis.Number);
        Assert.Equal(Cast.Run("block", "0", "--field", "hash", "--rpc-url", anvil.Endpoint.ToString()), genesis.Hash.ToString());
        Assert.Null(await client.GetBlockAsync(1_000_000));
    }

    [Fact]
    public async Task Transfer_signed_by_a_fresh_key_is_mined_and_moves_the_value()
    {
        EthECKey sender = await anvil.FundedKeyAsync();
        Address recipient = EthECKey.GenerateKey().Address;
        var client = anvil.ClientFor(sender);

        TransactionReceipt receipt = await client.TransferAsync(recipient, 12_345);

        Assert.True(receipt.Succeeded);
        Assert.Equal(sender.Address, receipt.From);
        Assert.Equal(new BigInteger(12_345), await client.GetBalanceAsync(recipient));
        Assert.Equal("12345", Cast.Run("balance", recipient.ToString(), "--rpc-url", anvil.Endpoint.ToString()));
    }

    [Fact]
    public async Task Concurrent_sends_from_one_client_are_all_mined_in_nonce_order()
    {
        EthECKey sender = await anvil.FundedKeyAsync();
        var client = anvil.ClientFor(sender);
        Address recipient = EthECKey.GenerateKey().Address;

        TransactionReceipt[] receipts = await Task.WhenAll(Enumerable.Range(1, 12).Select(i => client.TransferAsync(recipient, i)));

        Assert.All(receipts, r => Assert.True(r.Succeeded));
        Assert.Equal(new BigInteger(78), await client.GetBalanceAsync(recipient));
        Assert.Equal("12", Cast.Run("nonce", sender.Address.ToString(), "--rpc-url", anvil.Endpoint.ToString()));
    }

    [Fact]
    public async Task A_send_refused_at_estimation_names_the_revert_reason_and_the_next_send_still_goes_through()
    {
        var owner = anvil.ClientFor(anvil.Deployer);
        StateAnchorContract anchor = await StateAnchorContract.DeployAsync(owner);
        await anchor.AnchorAsync(10, Hash32.Keccak("a"u8));

        var error = await Assert.ThrowsAsync<ContractRevertedException>(() => anchor.AnchorAsync(9, Hash32.Keccak("b"u8)));
        TransactionReceipt next = await anchor.AnchorAsync(11, Hash32.Keccak("c"u8));

        Assert.Equal("StateAnchor: height not increasing", error.RevertReason);
        Assert.True(next.Succeeded);
        Assert.Equal(11UL, await anchor.LatestHeightAsync());
    }

    [Fact]
    public async Task A_send_from_a_wallet_without_gas_is_refused_as_such_and_the_wallet_can_send_once_funded()
    {
        EthECKey empty = EthECKey.GenerateKey();
        var client = anvil.ClientFor(empty);

        var error = await Assert.ThrowsAsync<TransactionRefusedException>(() => client.TransferAsync(EthECKey.GenerateKey().Address, 1));
        await anvil.ClientFor(anvil.Deployer).TransferAsync(empty.Address, BigInteger.Pow(10, 17));
        TransactionReceipt next = await client.TransferAsync(EthECKey.GenerateKey().Address, 1);

        Assert.True(error.InsufficientFunds, error.NodeMessage);
        Assert.True(next.Succeeded);
    }

    [Fact]
    public async Task Node_errors_surface_with_their_json_rpc_code()
    {
        var client = anvil.ClientFor(anvil.Deployer);

        var error = await Assert.ThrowsAsync<RpcResponseException>(() => client.Web3.Client.SendRequestAsync<string>("eth_noSuchMethod", null));

        Assert.Equal(-32601, error.RpcError.Code);
    }

    [Fact]
    public async Task Waiting_for_an_unknown_transaction_times_out()
    {
        using var client = anvil.ClientFor(anvil.Deployer, new ChainClientOptions { ReceiptTimeout = TimeSpan.FromMilliseconds(300) });

        var error = await Assert.ThrowsAsync<TransactionFailedException>(() => client.WaitForReceiptAsync(Hash32.Keccak("nothing"u8)));

        Assert.Contains("No receipt", error.Message);
    }
}
