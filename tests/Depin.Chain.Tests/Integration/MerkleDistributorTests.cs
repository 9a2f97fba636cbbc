using System.Numerics;
using Depin.Chain.Tests.Support;

namespace Depin.Chain.Tests.Integration;

[Collection(AnvilCollection.Name)]
public class MerkleDistributorTests(AnvilFixture anvil)
{
    private sealed record Deployment(RewardTokenContract Token, MerkleDistributorContract Distributor, PayoutMerkleTree Tree);

    private async Task<Deployment> DeployWithRootAsync(ulong epoch, int seed, int count = 37)
    {
        var owner = anvil.ClientFor(anvil.Deployer);
        RewardTokenContract token = await RewardTokenContract.DeployAsync(owner, "Depin Reward", "DPR");
        MerkleDistributorContract distributor = await MerkleDistributorContract.DeployAsync(owner, token.Address);
        await token.SetMinterAsync(distributor.Address, true);

        var random = Random32.Seeded(seed);
        var payouts = new List<Payout> { new(anvil.Provider.Address, 1_500_000_000_000_000_000UL) };
        payouts.AddRange(Enumerable.Range(1, count - 1).Select(_ => new Payout(random.NextAddress(), (UInt128)random.NextInt64(1, long.MaxValue))));
        var tree = new PayoutMerkleTree(epoch, payouts);
        await distributor.SetRootAsync(epoch, tree.Root);
        return new Deployment(token, distributor, tree);
    }

    [Fact]
    public async Task Provider_claims_its_payout_with_its_own_wallet_and_the_tokens_arrive()
    {
        Deployment d = await DeployWithRootAsync(epoch: 7, seed: 60);
        var providerClient = anvil.ClientFor(anvil.Provider);

        TransactionReceipt receipt = await d.Distributor.As(providerClient).ClaimAsync(d.Tree, anvil.Provider.Address);

        Assert.Equal(anvil.Provider.Address, receipt.From);
        Assert.Equal(new BigInteger(1_500_000_000_000_000_000UL), await d.Token.BalanceOfAsync(anvil.Provider.Address));
        Assert.True(await d.Distributor.IsClaimedAsync(7, anvil.Provider.Address));
        ClaimedEvent claim = Assert.Single(await d.Distributor.GetClaimsAsync(epoch: 7, fromBlock: receipt.BlockNumber));
        Assert.Equal(new ClaimedEvent(7, anvil.Provider.Address, new BigInteger(1_500_000_000_000_000_000UL), receipt.TransactionHash), claim);
    }

    [Fact]
    public async Task Every_payout_in_the_tree_can_be_claimed_once_by_a_third_party()
    {
        Deployment d = await DeployWithRootAsync(epoch: 8, seed: 61, count: 12);
        var relayer = anvil.ClientFor(await anvil.FundedKeyAsync());
        MerkleDistributorContract distributor = d.Distributor.As(relayer);

        foreach (Payout payout in d.Tree.Payouts)
        {
            await distributor.ClaimAsync(d.Tree, payout.Account);
        }

        foreach (Payout payout in d.Tree.Payouts)
        {
            Assert.Equal((BigInteger)payout.Amount, await d.Token.BalanceOfAsync(payout.Account));
        }

        Assert.Equal(d.Tree.Payouts.Aggregate(BigInteger.Zero, (sum, p) => sum + (BigInteger)p.Amount), await d.Token.TotalSupplyAsync());
    }

    [Fact]
    public async Task Second_claim_for_the_same_epoch_and_account_reverts()
    {
        Deployment d = await DeployWithRootAsync(epoch: 9, seed: 62);
        MerkleDistributorContract distributor = d.Distributor.As(anvil.ClientFor(anvil.Provider));
        await distributor.ClaimAsync(d.Tree, anvil.Provider.Address);

        var error = await Assert.ThrowsAsync<ContractRevertedException>(() => distributor.ClaimAsync(d.Tree, anvil.Provider.Address));

        Assert.Equal("MerkleDistributor: already claimed", error.RevertReason);
        Assert.Equal(new BigInteger(1_500_000_000_000_000_000UL), await d.Token.BalanceOfAsync(anvil.Provider.Address));
    }

    [Fact]
    public async Task Claim_with_a_wrong_proof_reverts()
    {
        Deployment d = await DeployWithRootAsync(epoch: 10, seed: 63);
        Hash32[] proof = d.Tree.GetProof(anvil.Provider.Address);
        proof[0] = Hash32.Keccak(proof[0].Span);

        var error = await Assert.ThrowsAsync<ContractRevertedException>(() =>
            d.Distributor.As(anvil.ClientFor(anvil.Provider)).ClaimAsync(10, anvil.Provider.Address, 1_500_000_000_000_000_000UL, proof));

        Assert.Equal("MerkleDistributor: invalid proof", error.RevertReason);
        Assert.False(await d.Distributor.IsClaimedAsync(10, anvil.Provider.Address));
    }

    [Fact]
    public async Task Claim_with_a_wrong_amount_reverts()
    {
        Deployment d = await DeployWithRootAsync(epoch: 11, seed: 64);

        var error = await Assert.ThrowsAsync<ContractRevertedException>(() =>
            d.Distributor.As(anvil.ClientFor(anvil.Provider)).ClaimAsync(11, anvil.Provider.Address, 1_500_000_000_000_000_001UL, d.Tree.GetProof(anvil.Provider.Address)));

        Assert.Equal("MerkleDistributor: invalid proof", error.RevertReason);
        Assert.Equal(BigInteger.Zero, await d.Token.BalanceOfAsync(anvil.Provider.Address));
    }

    [Fact]
    public async Task Claim_against_another_epoch_reverts()
    {
        Deployment d = await DeployWithRootAsync(epoch: 12, seed: 65);

        var error = await Assert.ThrowsAsync<ContractRevertedException>(() =>
            d.Distributor.ClaimAsync(13, anvil.Provider.Address, 1_500_000_000_000_000_000UL, d.Tree.GetProof(anvil.Provider.Address)));

        Assert.Equal("MerkleDistributor: unknown epoch", error.RevertReason);
    }

    [Fact]
    public async Task Root_can_be_set_once_per_epoch_and_only_by_the_owner()
    {
        Deployment d = await DeployWithRootAsync(epoch: 14, seed: 66);

        var again = await Assert.ThrowsAsync<ContractRevertedException>(() => d.Distributor.SetRootAsync(14, Hash32.Keccak("other"u8)));
        var stranger = await Assert.ThrowsAsync<ContractRevertedException>(() =>
            d.Distributor.As(anvil.ClientFor(anvil.Provider)).SetRootAsync(15, Hash32.Keccak("mine"u8)));

        Assert.Equal("MerkleDistributor: root already set", again.RevertReason);
        Assert.Equal("MerkleDistributor: not owner", stranger.RevertReason);
        Assert.Equal(d.Tree.Root, await d.Distributor.RootOfAsync(14));
        Assert.Equal(Hash32.Zero, await d.Distributor.RootOfAsync(15));
    }

    [Fact]
    public async Task Root_set_event_is_logged_with_the_epoch_topic()
    {
        Deployment d = await DeployWithRootAsync(epoch: 16, seed: 67);

        IReadOnlyList<LogEntry> logs = await anvil.ClientFor(anvil.Deployer).GetLogsAsync(
            new LogFilter(d.Distributor.Address, [Hash32.Parse(Cast.Run("sig-event", "RootSet(uint256,bytes32)"))]));

        LogEntry log = Assert.Single(logs);
        Assert.Equal(Hash32.FromNumber(16), log.Topics[1]);
        Assert.Equal(d.Tree.Root, new Hash32(log.Data));
        Assert.Equal([(16UL, d.Tree.Root)], await d.Distributor.GetRootsAsync());
    }
}
