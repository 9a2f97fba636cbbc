using System.Net.Http.Json;
using System.Numerics;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Contracts.Rewards;
using Depin.Ledger.Node;
using Depin.Rewards.Anchoring;
using Depin.Rewards.IntegrationTests.Support;
using Nethereum.Signer;

namespace Depin.Rewards.IntegrationTests;

/// <summary>The host against a real anvil chain: payout roots on the distributor, claims from the provider's own wallet, ledger state anchors.</summary>
[Collection(AnvilCollection.Name)]
public sealed class ChainEndToEndTests(AnvilFixture anvil)
{
    private RewardsHost StartHost(MerkleDistributorContract distributor, StateAnchorContract anchor, long anchorEveryBlocks = 1_000)
    {
        Dictionary<string, string?> settings = RewardsHost.Defaults();
        settings["Rewards:Chain:RpcUrl"] = anvil.Endpoint.ToString();
        settings["Rewards:Chain:SignerPrivateKey"] = anvil.Owner.ToHex();
        settings["Rewards:Chain:DistributorAddress"] = distributor.Address.ToString();
        settings["Rewards:Chain:StateAnchorAddress"] = anchor.Address.ToString();
        settings["Rewards:Anchoring:EveryBlocks"] = anchorEveryBlocks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Rewards:Anchoring:PollInterval"] = "01:00:00";
        return new RewardsHost(settings);
    }

    [Fact]
    public async Task Provider_claims_its_epoch_reward_with_the_proof_from_the_api_and_the_tokens_arrive()
    {
        var (token, distributor, anchor) = await anvil.DeployAsync();
        using RewardsHost host = StartHost(distributor, anchor);
        HttpClient http = host.CreateClient();
        EthECKey provider = await anvil.FundedKeyAsync();
        await host.Get<ILedgerClient>().FundRewardPoolAsync(10_000_000);
        host.Seed(0, (provider.Address, 3_600, 8, 12, false), (EthECKey.GenerateKey().Address, 1_000, 3, 4, false), (EthECKey.GenerateKey().Address, 20, 1, 0, false));

        await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/rewards/epochs/close") { Headers = { { "X-Api-Key", RewardsHost.AdminKey } } });
        var epoch = await http.GetFromJsonAsync<EpochDto>("/api/rewards/epochs/0");
        var proof = await http.GetFromJsonAsync<ClaimProofDto>($"/api/rewards/providers/{provider.Address}/proofs/0");

        Assert.Equal("closed", epoch!.Status);
        Assert.NotNull(epoch.AnchorTransaction);
        Assert.Equal(Hash32.Parse(epoch.MerkleRoot!), await distributor.RootOfAsync(0));
        Assert.True(proof!.Anchored);
        Assert.Equal(distributor.Address.ToString(), proof.Distributor);
        Assert.Equal(31337, proof.ChainId);

        // The provider's wallet sends the claim itself, with exactly what the API returned.
        var claimer = new MerkleDistributorContract(anvil.ClientFor(provider), Address.Parse(proof.Distributor!));
        Hash32[] hashes = [.. proof.Proof.Select(Hash32.Parse)];
        BigInteger amount = BigInteger.Parse(proof.Amount, System.Globalization.CultureInfo.InvariantCulture);
        TransactionReceipt receipt = await claimer.ClaimAsync((ulong)proof.Epoch, Address.Parse(proof.Account), amount, hashes);

        Assert.Equal(provider.Address, receipt.From);
        Assert.Equal(amount, await token.BalanceOfAsync(provider.Address));
        Assert.Equal((await host.Get<ILedgerClient>().GetAccountAsync(provider.Address.ToLowerHex())).Balance, (long)amount);

        var again = await Assert.ThrowsAsync<ContractRevertedException>(() => claimer.ClaimAsync(0, provider.Address, amount, hashes));
        Assert.Equal("MerkleDistributor: already claimed", again.RevertReason);

        EthECKey other = await anvil.FundedKeyAsync();
        Address otherAccount = (await host.Get<Depin.Rewards.Storage.IEpochStore>().GetRewardsAsync(0)).First(r => r.Account != provider.Address).Account;
        var otherProof = await http.GetFromJsonAsync<ClaimProofDto>($"/api/rewards/providers/{otherAccount}/proofs/0");
        Hash32[] wrong = [.. otherProof!.Proof.Select(Hash32.Parse)];
        wrong[0] = Hash32.Keccak(wrong[0].Span);
        var invalid = await Assert.ThrowsAsync<ContractRevertedException>(() =>
            new MerkleDistributorContract(anvil.ClientFor(other), distributor.Address).ClaimAsync(0, Address.Parse(otherProof.Account), BigInteger.Parse(otherProof.Amount, System.Globalization.CultureInfo.InvariantCulture), wrong));
        Assert.Equal("MerkleDistributor: invalid proof", invalid.RevertReason);
        Assert.Equal(amount, await token.TotalSupplyAsync());
    }

    [Fact]
    public async Task Ledger_state_root_is_anchored_on_chain_every_n_blocks()
    {
        var (_, distributor, anchor) = await anvil.DeployAsync();
        using RewardsHost host = StartHost(distributor, anchor, anchorEveryBlocks: 3);
        ILedgerClient ledger = host.Get<ILedgerClient>();
        LedgerNode node = host.Get<LedgerNode>();
        LedgerAnchorService anchoring = host.Get<LedgerAnchorService>();

        await ledger.FundRewardPoolAsync(1);
        await ledger.FundRewardPoolAsync(1);
        long? early = await anchoring.AnchorIfDueAsync();
        await ledger.FundRewardPoolAsync(1);
        long height = node.Height;
        long? first = await anchoring.AnchorIfDueAsync();
        long? repeated = await anchoring.AnchorIfDueAsync();

        Assert.Null(early);
        Assert.Equal(height, first);
        Assert.Null(repeated);
        Assert.Equal((ulong)height, await anchor.LatestHeightAsync());
        Assert.Equal(new Hash32(node.GetBlock(height)!.Header.StateRoot.ToArray()), await anchor.RootAtAsync((ulong)height));

        for (int i = 0; i < 3; i++)
        {
            await ledger.FundRewardPoolAsync(1);
        }

        Assert.Equal(node.Height, await anchoring.AnchorIfDueAsync());
        Assert.Equal(2UL, await anchor.AnchorCountAsync());
    }

    [Fact]
    public async Task Setting_a_payout_root_again_after_a_crash_is_a_no_op_and_a_different_root_is_refused()
    {
        var (_, distributor, anchor) = await anvil.DeployAsync();
        using var chain = new RewardsChain(new ChainSettings
        {
            RpcUrl = anvil.Endpoint.ToString(),
            SignerPrivateKey = anvil.Owner.ToHex(),
            DistributorAddress = distributor.Address.ToString(),
            StateAnchorAddress = anchor.Address.ToString(),
        });
        var publisher = new ChainPayoutRootPublisher(chain);
        Hash32 root = Hash32.Keccak("epoch 5"u8);

        string? first = await publisher.PublishAsync(5, root);
        string? again = await publisher.PublishAsync(5, root);

        Assert.NotNull(first);
        Assert.Null(again);
        Assert.Equal(root, await distributor.RootOfAsync(5));
        await Assert.ThrowsAsync<InvalidOperationException>(() => publisher.PublishAsync(5, Hash32.Keccak("other"u8)));
    }
}
