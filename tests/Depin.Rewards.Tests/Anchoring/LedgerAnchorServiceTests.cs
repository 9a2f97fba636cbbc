using Depin.Chain;
using Depin.Contracts.Events;
using Depin.Rewards.Anchoring;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Depin.Rewards.Tests.Anchoring;

public class LedgerAnchorServiceTests
{
    private static readonly Hash32 RootA = Hash32.Keccak("a"u8);
    private static readonly Hash32 RootB = Hash32.Keccak("b"u8);

    private static BlockCommittedEvent Block(long height, Hash32 root) => new(height, Hash32.Zero.ToString(), root.ToString(), 1, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Head_source_keeps_the_highest_block_and_ignores_redelivered_or_older_events()
    {
        var heads = new BlockCommittedHeadSource();

        heads.Observe(Block(5, RootA));
        heads.Observe(Block(3, RootB));
        heads.Observe(Block(5, RootB));

        Assert.Equal(new LedgerHead(5, RootA), await heads.GetHeadAsync());
    }

    [Fact]
    public async Task Anchors_only_when_the_head_is_n_blocks_past_the_last_anchor()
    {
        var heads = new BlockCommittedHeadSource();
        var sink = new RecordingSink();
        var service = new LedgerAnchorService(heads, sink, Options.Create(new RewardsOptions { Anchoring = { EveryBlocks = 10 } }), TimeProvider.System,
            NullLogger<LedgerAnchorService>.Instance);

        long? beforeAnyBlock = await service.AnchorIfDueAsync();
        heads.Observe(Block(9, RootA));
        long? early = await service.AnchorIfDueAsync();
        heads.Observe(Block(12, RootB));
        long? first = await service.AnchorIfDueAsync();
        heads.Observe(Block(21, RootA));
        long? tooSoon = await service.AnchorIfDueAsync();
        heads.Observe(Block(22, RootA));
        long? second = await service.AnchorIfDueAsync();

        Assert.Null(beforeAnyBlock);
        Assert.Null(early);
        Assert.Equal(12, first);
        Assert.Null(tooSoon);
        Assert.Equal(22, second);
        Assert.Equal([(12L, RootB), (22L, RootA)], sink.Anchors);
    }

    private sealed class RecordingSink : IStateAnchorSink
    {
        public List<(long Height, Hash32 Root)> Anchors { get; } = [];

        public bool IsEnabled => true;

        public Task<long> LatestAnchoredHeightAsync(CancellationToken cancellationToken = default) => Task.FromResult(Anchors.Count == 0 ? 0 : Anchors[^1].Height);

        public Task<string> AnchorAsync(long height, Hash32 root, CancellationToken cancellationToken = default)
        {
            Anchors.Add((height, root));
            return Task.FromResult("0x01");
        }
    }
}
