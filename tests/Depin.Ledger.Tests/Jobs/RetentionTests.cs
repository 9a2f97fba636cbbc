using Depin.Ledger.Accounts;
using Depin.Ledger.Jobs;
using Depin.Ledger.Node;
using Depin.Ledger.Storage;
using Depin.Ledger.Transactions;
using Depin.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static Depin.Ledger.Tests.RandomJobBlocks;

namespace Depin.Ledger.Tests.Jobs;

/// <summary>Bounded growth: final records pruned after the retention window, old blocks, ids and log segments forgotten.</summary>
public sealed class RetentionTests : IDisposable
{
    private const long Retention = 60_000;
    private static readonly AccountId Customer = AccountId.FromNumber(1);
    private static readonly AccountId Provider = AccountId.FromNumber(2);
    private static readonly TxId Worker = TxId.Derive("worker");
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private LedgerNode Open(TimeProvider clock, int snapshotInterval = 1_000) => Started(new LedgerNode(
        new LedgerOptions
        {
            DataDirectory = _data.Path,
            SnapshotIntervalBlocks = snapshotInterval,
            ExecutionThreads = 2,
            ParallelThreshold = 2,
            Retention = TimeSpan.FromMilliseconds(Retention),
            SegmentBytes = 16 << 10,
        },
        NullLogger<LedgerNode>.Instance,
        clock));

    private static LedgerNode Started(LedgerNode node)
    {
        node.Start();
        return node;
    }

    private static async Task<TxId[]> SettleAsync(LedgerNode node, Clock clock, string prefix, int jobs)
    {
        var ids = Enumerable.Range(0, jobs).Select(i => TxId.Derive(prefix + i)).ToArray();
        await node.SubmitAsync([.. ids.Select(id => Submit(id, Customer, 1_000, clock.Now + 600_000))]);
        await node.SubmitAsync([.. ids.Select(id => Lease(id, Worker, Provider, clock.Now + 30_000))]);
        await node.SubmitAsync([.. ids.Select(id => Complete(id, Worker, 1, default))]);
        var receipts = await node.SubmitAsync([.. ids.Select(id => Settle(id, Customer, Provider, 400, 10))]);
        Assert.All(receipts, r => Assert.Equal(ReceiptStatus.Success, r.Status));
        return ids;
    }

    [Fact]
    public async Task Final_records_are_pruned_once_the_window_passes_and_their_slots_are_taken_again()
    {
        var clock = new Clock(1_700_000_000_000);
        using var node = Open(clock);
        await node.SubmitAsync([Transaction.Deposit(TxId.New(), Customer, 10_000_000)]);
        var old = await SettleAsync(node, clock, "old-", 50);
        var open = TxId.Derive("still-open");
        await node.SubmitAsync([Submit(open, Customer, 1_000, clock.Now + 3_600_000)]);
        var balance = node.GetAccount(Customer).State.Balance;

        clock.Advance(Retention - 1);
        await node.SubmitAsync([Transaction.Deposit(TxId.New(), AccountId.FromNumber(3), 1)]);
        Assert.All(old, id => Assert.Equal(JobStatus.Settled, node.GetJob(id).Record.Status));

        clock.Advance(2);
        await node.SubmitAsync([Transaction.Deposit(TxId.New(), AccountId.FromNumber(3), 1)]);
        Assert.All(old, id => Assert.True(node.GetJob(id).Record.IsEmpty));
        Assert.All(old, id => Assert.Empty(node.GetJobHistory(id).Events));
        Assert.Equal([open], node.JobsOf(Customer, provider: false, 100, null).Jobs.Select(j => j.Id));
        Assert.Empty(node.JobsOf(Provider, provider: true, 100, null).Jobs);
        Assert.Equal(JobStatus.Queued, node.GetJob(open).Record.Status);
        Assert.Equal(balance, node.GetAccount(Customer).State.Balance);
        Assert.Equal((1, 51), node.JobSlots);

        var prune = node.GetReceipt(TxId.Derive($"job-prune:{old[0]}:{1_700_000_000_000}"));
        Assert.Equal(ReceiptStatus.Success, prune?.Status);

        var fresh = await SettleAsync(node, clock, "fresh-", 50);
        Assert.Equal((51, 51), node.JobSlots);
        Assert.Equal(51, node.JobsOf(Customer, provider: false, 100, null).Total);
        Assert.All(fresh, id => Assert.Equal(JobStatus.Settled, node.GetJob(id).Record.Status));
    }

    [Fact]
    public async Task An_idle_ledger_still_prunes_with_a_block_of_its_own()
    {
        var clock = new Clock(1_700_000_000_000);
        using var node = Open(clock);
        await node.SubmitAsync([Transaction.Deposit(TxId.New(), Customer, 10_000_000)]);
        var ids = await SettleAsync(node, clock, "idle-", 10);
        var height = node.Height;

        clock.Advance(Retention + 1);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!node.GetJob(ids[^1]).Record.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.All(ids, id => Assert.True(node.GetJob(id).Record.IsEmpty));
        Assert.Equal(height + 1, node.Height);
    }

    [Fact]
    public async Task Old_blocks_ids_and_log_segments_are_forgotten_and_a_restart_replays_only_the_log_after_the_snapshot()
    {
        var clock = new Clock(1_700_000_000_000);
        TxId[] old;
        TxId[] recent;
        var early = TxId.New();
        var live = TxId.Derive("live-since-the-start");
        long height;
        Depin.Ledger.Commitment.Hash256 root;
        using (var node = Open(clock, snapshotInterval: 4))
        {
            await node.SubmitAsync([Transaction.Deposit(early, Customer, 10_000_000)]);
            await node.SubmitAsync([Submit(live, Customer, 1_000, clock.Now + 3 * Retention)]);
            old = await SettleAsync(node, clock, "old-", 40);
            for (var i = 0; i < 12; i++)
            {
                clock.Advance(Retention / 4);
                await node.SubmitAsync([Transaction.Transfer(TxId.New(), Customer, AccountId.FromNumber(5), 1)]);
            }

            recent = await SettleAsync(node, clock, "recent-", 40);
            for (var i = 0; i < 8; i++)
            {
                await node.SubmitAsync([Transaction.Transfer(TxId.New(), Customer, AccountId.FromNumber(5), 1)]);
            }

            await node.StopAsync();
            height = node.Height;
            root = node.StateRoot;

            // The live job's submission pins the blocks from its own on; the old jobs are pruned.
            Assert.All(old, id => Assert.True(node.GetJob(id).Record.IsEmpty));
            Assert.Equal(2, node.FirstHeight);
            Assert.Null(node.GetReceipt(early));
            Assert.Null(node.GetBlock(1));
        }

        var blocks = Path.Combine(_data.Path, "blocks");
        var segments = Directory.GetFiles(blocks, "blocks-*.wal").Order(StringComparer.Ordinal).ToArray();
        Assert.True(segments.Length > 1);

        using (var node = Open(clock, snapshotInterval: 4))
        {
            Assert.Equal((height, root), (node.Height, node.StateRoot));
            Assert.Equal(JobStatus.Queued, node.GetJob(live).Record.Status);
            Assert.Equal(ProgramKind.JobSubmit, Assert.Single(node.GetJobHistory(live).Events).Transaction.Program);
            Assert.All(recent, id => Assert.Equal(JobStatus.Settled, node.GetJob(id).Record.Status));
            Assert.Equal(4, node.GetJobHistory(recent[0]).Events.Length);
            Assert.Equal(41, node.JobsOf(Customer, provider: false, 100, null).Jobs.Length);
            Assert.Equal(ReceiptStatus.Success, await One(node, Cancel(live, Customer)));
            clock.Advance(Retention + 1);
            for (var i = 0; i < 8; i++)
            {
                await node.SubmitAsync([Transaction.Transfer(TxId.New(), Customer, AccountId.FromNumber(5), 1)]);
            }

            await node.StopAsync();
            height = node.Height;
            root = node.StateRoot;
            Assert.True(node.FirstHeight > 3, $"first height {node.FirstHeight}");
            Assert.Null(node.GetBlock(1));
            Assert.NotNull(node.GetBlock(node.FirstHeight));
            Assert.Null(node.GetReceipt(early));
            Assert.Empty(node.JobsOf(Customer, provider: false, 100, null).Jobs);
            Assert.Equal((0, 41), node.JobSlots);
        }

        var remaining = Directory.GetFiles(blocks, "blocks-*.wal").Order(StringComparer.Ordinal).ToArray();
        Assert.DoesNotContain(Path.Combine(blocks, BlockLog.SegmentName(0)), remaining);

        using (var node = Open(clock, snapshotInterval: 4))
        {
            Assert.Equal((height, root), (node.Height, node.StateRoot));
            Assert.Null(node.GetBlock(1));
            Assert.Equal(0, node.JobSlots.Live);
            Assert.Equal(ReceiptStatus.Success, await One(node, Transaction.Transfer(TxId.New(), Customer, AccountId.FromNumber(5), 1)));
        }
    }

    private static async Task<ReceiptStatus> One(LedgerNode node, Transaction tx) => (await node.SubmitAsync([tx]))[0].Status;
}
