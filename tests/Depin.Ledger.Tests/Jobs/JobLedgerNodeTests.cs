using Depin.Ledger.Accounts;
using Depin.Ledger.Jobs;
using Depin.Ledger.Node;
using Depin.Ledger.Storage;
using Depin.Ledger.Transactions;
using Depin.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static Depin.Ledger.Tests.RandomJobBlocks;

namespace Depin.Ledger.Tests.Jobs;

public sealed class JobLedgerNodeTests : IDisposable
{
    private static readonly AccountId Customer = AccountId.FromNumber(1);
    private static readonly AccountId Provider = AccountId.FromNumber(2);
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private LedgerNode Open(TimeProvider clock, int snapshotInterval = 1_000)
    {
        var node = new LedgerNode(
            new LedgerOptions { DataDirectory = _data.Path, SnapshotIntervalBlocks = snapshotInterval, ExecutionThreads = 2, ParallelThreshold = 2 },
            NullLogger<LedgerNode>.Instance,
            clock);
        node.Start();
        return node;
    }

    private static async Task<ReceiptStatus> One(LedgerNode node, Transaction tx) => (await node.SubmitAsync([tx]))[0].Status;

    /// <summary>Runs jobs through their whole lifecycle on <paramref name="node"/>; returns the job ids.</summary>
    private static async Task<TxId[]> RunLifecycleAsync(LedgerNode node, Clock clock, int jobs)
    {
        await node.SubmitAsync([Transaction.Deposit(TxId.New(), Customer, 1_000_000)]);
        var ids = Enumerable.Range(0, jobs).Select(i => TxId.Derive("job-" + i)).ToArray();
        var worker = TxId.Derive("worker");
        await node.SubmitAsync([.. ids.Select(id => Submit(id, Customer, 1_000, clock.Now + 600_000))]);
        clock.Advance(1_000);
        await node.SubmitAsync([.. ids.Select(id => Lease(id, worker, Provider, clock.Now + 30_000))]);
        clock.Advance(1_000);
        await node.SubmitAsync([.. ids.Select(id => Complete(id, worker, 1, default))]);
        clock.Advance(1_000);
        await node.SubmitAsync([.. ids.Select(id => Settle(id, Customer, Provider, 400, 10))]);
        return ids;
    }

    [Fact]
    public async Task Block_timestamps_drive_the_job_programs_and_replay_under_another_clock_gives_the_same_state()
    {
        var clock = new Clock(1_700_000_000_000);
        Depin.Ledger.Commitment.Hash256 root;
        TxId[] ids;
        using (var node = Open(clock))
        {
            ids = await RunLifecycleAsync(node, clock, 20);
            root = node.StateRoot;
            Assert.All(ids, id => Assert.Equal(JobStatus.Settled, node.GetJob(id).Record.Status));
        }

        using var replayed = Open(new Clock(1_900_000_000_000));

        Assert.Equal(root, replayed.StateRoot);
        Assert.All(ids, id => Assert.Equal(JobStatus.Settled, replayed.GetJob(id).Record.Status));
        Assert.Equal(1_000_000 - 20 * 400, replayed.GetAccount(Customer).State.Balance);
    }

    [Fact]
    public async Task A_block_is_never_timestamped_before_the_previous_one()
    {
        var clock = new Clock(1_700_000_000_000);
        using var node = Open(clock);
        await node.SubmitAsync([Transaction.Deposit(TxId.New(), Customer, 10_000)]);
        var first = node.LatestTimestampMs;
        clock.Advance(-60_000);

        await One(node, Submit(TxId.Derive("late"), Customer, 100, first + 1));

        Assert.Equal(first, node.LatestTimestampMs);
        Assert.Equal(JobStatus.Queued, node.GetJob(TxId.Derive("late")).Record.Status);
    }

    [Fact]
    public async Task Job_records_survive_a_snapshot_and_their_inclusion_proofs_verify()
    {
        var clock = new Clock(1_700_000_000_000);
        TxId[] ids;
        using (var node = Open(clock, snapshotInterval: 2))
        {
            ids = await RunLifecycleAsync(node, clock, 9);
            await node.StopAsync();
        }

        using var reopened = Open(clock, snapshotInterval: 2);
        foreach (var id in ids)
        {
            var proof = reopened.GetJobProof(id)!;
            Assert.True(proof.Verify());
            Assert.Equal(reopened.StateRoot, proof.StateRoot);
            Assert.False((proof with { Record = proof.Record with { Price = 1 } }).Verify());
        }

        Assert.True(reopened.GetProof(Customer)!.Verify());
        Assert.Null(reopened.GetJobProof(TxId.Derive("never")));
    }

    [Fact]
    public async Task The_open_jobs_index_follows_the_records_and_is_rebuilt_on_restart()
    {
        var clock = new Clock(1_700_000_000_000);
        var queued = TxId.Derive("queued");
        using (var node = Open(clock))
        {
            var settled = await RunLifecycleAsync(node, clock, 3);
            await node.SubmitAsync([Submit(queued, Customer, 10, clock.Now + 60_000)]);

            Assert.Equal([queued], node.OpenJobs(100));
            Assert.DoesNotContain(settled[0], node.OpenJobs(100));
        }

        using var reopened = Open(clock);
        Assert.Equal([queued], reopened.OpenJobs(100));
        await reopened.SubmitAsync([Cancel(queued, Customer)]);
        Assert.Empty(reopened.OpenJobs(100));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(2)]
    public async Task Jobs_by_customer_and_provider_and_each_jobs_history_are_indexed_and_rebuilt_on_restart(int snapshotInterval)
    {
        var clock = new Clock(1_700_000_000_000);
        var poor = AccountId.FromNumber(3);
        var refused = TxId.Derive("refused");
        var other = AccountId.FromNumber(4);
        TxId[] ids;
        using (var node = Open(clock, snapshotInterval))
        {
            ids = await RunLifecycleAsync(node, clock, 5);
            Assert.Equal(ReceiptStatus.InsufficientFunds, await One(node, Submit(refused, poor, 1_000, clock.Now + 60_000)));
            Assert.Equal(ReceiptStatus.JobWrongStatus, await One(node, Settle(ids[0], Customer, Provider, 400, 10)));
            Assert.Equal(ReceiptStatus.Success, await One(node, Transaction.Deposit(TxId.New(), other, 5_000)));
        }

        using var reopened = Open(new Clock(clock.Now + 3_600_000), snapshotInterval);
        var first = reopened.JobsOf(Customer, provider: false, 3, null);
        var rest = reopened.JobsOf(Customer, provider: false, 3, first.Next);
        var leased = reopened.JobsOf(Provider, provider: true, 10, null);
        var (record, events, _) = reopened.GetJobHistory(ids[0]);
        var (none, refusedEvents, _) = reopened.GetJobHistory(refused);

        Assert.Equal(ids.Reverse().Take(3), first.Jobs.Select(j => j.Id));
        Assert.Equal(ids.Reverse().Skip(3), rest.Jobs.Select(j => j.Id));
        Assert.Equal((2, (int?)null, 5), (first.Next ?? -1, rest.Next, rest.Total));
        Assert.All(first.Jobs, j => Assert.Equal(JobStatus.Settled, j.Record.Status));
        Assert.Equal(ids.Reverse(), leased.Jobs.Select(j => j.Id));
        Assert.Empty(reopened.JobsOf(poor, provider: false, 10, null).Jobs);
        Assert.Empty(reopened.JobsOf(other, provider: false, 10, null).Jobs);

        Assert.Equal(JobStatus.Settled, record.Status);
        Assert.Equal(
            [(ProgramKind.JobSubmit, ReceiptStatus.Success), (ProgramKind.JobLease, ReceiptStatus.Success), (ProgramKind.JobComplete, ReceiptStatus.Success),
             (ProgramKind.JobSettle, ReceiptStatus.Success), (ProgramKind.JobSettle, ReceiptStatus.JobWrongStatus)],
            events.Select(e => (e.Transaction.Program, e.Event.Status)));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.TimestampMs <= p.Second.TimestampMs && p.First.Event.Height < p.Second.Event.Height));
        Assert.Equal(1_700_000_000_000, events[0].TimestampMs);
        Assert.True(none.IsEmpty);
        Assert.Equal(ReceiptStatus.InsufficientFunds, Assert.Single(refusedEvents).Event.Status);
    }

    [Fact]
    public async Task Open_jobs_are_served_by_kind()
    {
        var clock = new Clock(1_700_000_000_000);
        using var node = Open(clock);
        await node.SubmitAsync([Transaction.Deposit(TxId.New(), Customer, 1_000_000)]);
        var kind1 = TxId.Derive("kind-1");
        var kind2 = TxId.Derive("kind-2");
        await node.SubmitAsync([Submit(kind1, Customer, 1_000, clock.Now + 60_000), Submit(kind2, Customer, 1_000, clock.Now + 60_000) with { Payload = Submit(kind2, Customer, 1_000, clock.Now + 60_000).Payload with { Kind = 2 } }]);

        Assert.Equal([kind1], node.OpenJobs(10, kind: 1));
        Assert.Equal([kind2], node.OpenJobs(10, kind: 2));
        Assert.Equal(2, node.OpenJobs(10).Length);
        Assert.Single(node.OpenJobs(1));
    }

    [Fact]
    public void Data_of_the_older_format_is_refused_with_what_to_do()
    {
        var blocks = Directory.CreateDirectory(Path.Combine(_data.Path, "blocks")).FullName;
        File.WriteAllBytes(Path.Combine(blocks, BlockLog.SegmentName(0)), [0x44, 0x50, 0x42, 0x31, 0, 0, 0, 0]);

        var refused = Assert.Throws<LedgerFormatException>(() => Open(new Clock(0)));

        Assert.Contains("older format", refused.Message);
        Assert.Contains("move that data directory away", refused.Message);
    }
}
