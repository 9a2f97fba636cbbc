using Depin.Chain.Tests.Support;

namespace Depin.Chain.Tests.Integration;

[Collection(AnvilCollection.Name)]
public class StateAnchorTests(AnvilFixture anvil)
{
    [Fact]
    public async Task Anchored_roots_read_back_by_height_with_the_latest_height()
    {
        StateAnchorContract anchor = await StateAnchorContract.DeployAsync(anvil.ClientFor(anvil.Deployer));
        Hash32 first = Hash32.Keccak("state 100"u8);
        Hash32 second = Hash32.Keccak("state 250"u8);

        await anchor.AnchorAsync(100, first);
        await anchor.AnchorAsync(250, second);

        Assert.Equal(first, await anchor.RootAtAsync(100));
        Assert.Equal(second, await anchor.RootAtAsync(250));
        Assert.Equal(Hash32.Zero, await anchor.RootAtAsync(101));
        Assert.Equal(250UL, await anchor.LatestHeightAsync());
        Assert.Equal(2UL, await anchor.AnchorCountAsync());
        IReadOnlyList<AnchoredEvent> events = await anchor.GetAnchorsAsync();
        Assert.Equal([(100UL, first), (250UL, second)], events.Select(e => (e.Height, e.StateRoot)).ToArray());
    }

    [Fact]
    public async Task Anchoring_a_height_that_does_not_increase_reverts()
    {
        StateAnchorContract anchor = await StateAnchorContract.DeployAsync(anvil.ClientFor(anvil.Deployer));
        await anchor.AnchorAsync(5, Hash32.Keccak("a"u8));

        var error = await Assert.ThrowsAsync<ContractRevertedException>(() => anchor.AnchorAsync(5, Hash32.Keccak("b"u8)));

        Assert.Equal("StateAnchor: height not increasing", error.RevertReason);
    }

    [Fact]
    public async Task Only_the_owner_can_anchor()
    {
        StateAnchorContract anchor = await StateAnchorContract.DeployAsync(anvil.ClientFor(anvil.Deployer));

        var error = await Assert.ThrowsAsync<ContractRevertedException>(() =>
            anchor.As(anvil.ClientFor(anvil.Provider)).AnchorAsync(1, Hash32.Keccak("x"u8)));

        Assert.Equal("StateAnchor: not owner", error.RevertReason);
    }
}
