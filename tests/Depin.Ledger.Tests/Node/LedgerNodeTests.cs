using System.Diagnostics;
using Depin.Testing;
using Depin.Ledger.Accounts;
using Depin.Ledger.Node;
using Depin.Ledger.Storage;
using Depin.Ledger.Transactions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Depin.Ledger.Tests.Node;

public sealed class LedgerNodeTests : IDisposable
{
    private static readonly AccountId Alice = AccountId.FromNumber(1);
    private static readonly AccountId Bob = AccountId.FromNumber(2);
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private LedgerNode Open(int snapshotInterval = 1_000)
    {
        var node = new LedgerNode(
            new LedgerOptions { DataDirectory = _data.Path, SnapshotIntervalBlocks = snapshotInterval, ExecutionThreads = 2, ParallelThreshold = 2 },
            NullLogger<LedgerNode>.Instance);
        node.Start();
        return node;
    }

    private static async Task<Receipt> One(LedgerNode node, Transaction tx) => (await node.SubmitAsync([tx]))[0];

    [Fact]
    public async Task After_a_quiet_spell_a_submission_commits_at_once_and_under_load_the_window_gathers_a_block()
    {
        using var node = new LedgerNode(new LedgerOptions { DataDirectory = _data.Path, BlockIntervalMilliseconds = 5_000 }, NullLogger<LedgerNode>.Instance);
        node.Start();

        var quiet = Stopwatch.StartNew();
        var first = await One(node, Transaction.Deposit(TxId.New(), Alice, 100));
        quiet.Stop();
        // Right after a block, the window is open: the next submissions wait for one another and share a block.
        var busy = await Task.WhenAll(One(node, Transaction.Deposit(TxId.New(), Alice, 1)), DelayedAsync(node, Transaction.Deposit(TxId.New(), Bob, 1)));

        Assert.True(quiet.Elapsed < TimeSpan.FromSeconds(2.5), $"the first submission waited {quiet.Elapsed} for a window of 5 s");
        Assert.Equal(1, first.Height);
        Assert.Equal([2L, 2L], busy.Select(r => r.Height));

        static async Task<Receipt> DelayedAsync(LedgerNode node, Transaction tx)
        {
            await Task.Delay(200);
            return await One(node, tx);
        }
    }

    [Fact]
    public async Task Resubmitting_an_id_returns_the_original_receipt_and_changes_nothing()
    {
        using var node = Open();
        var deposit = Transaction.Deposit(TxId.New(), Alice, 100);
        var first = await One(node, deposit);
        var again = await One(node, deposit with { Amount = 5_000 });

        Assert.Equal(first, again);
        Assert.Equal(100, node.GetAccount(Alice).State.Balance);
        Assert.Equal(1, node.Height);
    }

    [Fact]
    public async Task A_failed_transaction_keeps_its_failure_receipt_on_resubmission()
    {
        using var node = Open();
        var transfer = Transaction.Transfer(TxId.New(), Alice, Bob, 10);
        Assert.Equal(ReceiptStatus.InsufficientFunds, (await One(node, transfer)).Status);
        await One(node, Transaction.Deposit(TxId.New(), Alice, 100));

        Assert.Equal(ReceiptStatus.InsufficientFunds, (await One(node, transfer)).Status);
        Assert.Equal(100, node.GetAccount(Alice).State.Balance);
    }

    [Fact]
    public async Task Duplicates_inside_one_block_execute_once()
    {
        using var node = Open();
        var deposit = Transaction.Deposit(TxId.New(), Alice, 100);
        var receipts = await Task.WhenAll(node.SubmitAsync([deposit]), node.SubmitAsync([deposit]), node.SubmitAsync([deposit]));

        Assert.All(receipts, r => Assert.Equal(receipts[0][0], r[0]));
        Assert.Equal(100, node.GetAccount(Alice).State.Balance);
    }

    [Fact]
    public async Task Restart_recovers_state_receipts_and_roots_from_the_log()
    {
        var ids = new List<TxId>();
        Depin.Ledger.Commitment.Hash256 root;
        long height;
        using (var node = Open())
        {
            var random = new Random(3);
            await node.SubmitAsync(RandomBlocks.Genesis(20, 10_000));
            for (var i = 0; i < 20; i++)
            {
                var block = RandomBlocks.Block(random, 200, 20, []);
                ids.AddRange(block.Select(t => t.Id));
                await node.SubmitAsync(block);
            }

            root = node.StateRoot;
            height = node.Height;
            await node.StopAsync();
        }

        using var reopened = Open();
        Assert.Equal(height, reopened.Height);
        Assert.Equal(root, reopened.StateRoot);
        Assert.All(ids, id => Assert.NotNull(reopened.GetReceipt(id)));
    }

    [Fact]
    public async Task Restart_from_a_snapshot_replays_only_the_tail()
    {
        Depin.Ledger.Commitment.Hash256 root;
        using (var node = Open(snapshotInterval: 5))
        {
            for (var i = 0; i < 12; i++)
            {
                await One(node, Transaction.Deposit(TxId.New(), AccountId.FromNumber((ulong)i + 10), 1 + i));
            }

            root = node.StateRoot;
            await node.StopAsync();
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_data.Path, "snapshots"), "*.snap"));
        using var reopened = Open(snapshotInterval: 5);
        Assert.Equal(12, reopened.Height);
        Assert.Equal(root, reopened.StateRoot);
        Assert.Equal(12, reopened.GetAccount(AccountId.FromNumber(21)).State.Balance);
    }

    [Fact]
    public async Task A_clean_stop_leaves_a_snapshot_of_the_final_block_so_the_next_start_replays_nothing()
    {
        long height;
        using (var node = Open())
        {
            await One(node, Transaction.Deposit(TxId.New(), Alice, 100));
            await One(node, Transaction.Deposit(TxId.New(), Alice, 50));
            await node.StopAsync();
            height = node.Height;
        }

        Assert.True(File.Exists(Path.Combine(_data.Path, "snapshots", $"snapshot-{height:D12}.snap")));

        // The snapshot refers to its block in the log: a log emptied behind it is refused, not silently restarted.
        File.WriteAllBytes(Path.Combine(_data.Path, "blocks", BlockLog.SegmentName(0)), []);
        var error = Assert.Throws<LedgerCorruptionException>(() => Open());
        Assert.Contains("ends before the snapshot's block", error.Message);
    }

    [Fact]
    public async Task A_torn_final_record_is_dropped_and_the_rest_recovers()
    {
        using (var node = Open())
        {
            await One(node, Transaction.Deposit(TxId.New(), Alice, 100));
            await One(node, Transaction.Deposit(TxId.New(), Alice, 50));

            // Disposed without StopAsync, as a crash would leave it: no final snapshot covers the log.
        }

        var segment = Path.Combine(_data.Path, "blocks", BlockLog.SegmentName(0));
        var length = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(length - 7);
        }

        using var reopened = Open();
        Assert.Equal(1, reopened.Height);
        Assert.Equal(100, reopened.GetAccount(Alice).State.Balance);
        await One(reopened, Transaction.Deposit(TxId.New(), Alice, 1));
        Assert.Equal(2, reopened.Height);
    }

    [Fact]
    public async Task Corruption_before_the_tail_stops_start_up_naming_file_and_offset()
    {
        using (var node = Open())
        {
            await One(node, Transaction.Deposit(TxId.New(), Alice, 100));
            await One(node, Transaction.Deposit(TxId.New(), Alice, 50));

            // Disposed without StopAsync, as a crash would leave it: no final snapshot covers the log.
        }

        var segment = Path.Combine(_data.Path, "blocks", BlockLog.SegmentName(0));
        var bytes = File.ReadAllBytes(segment);
        bytes[BlockLog.RecordHeaderSize + 20] ^= 0xFF;
        File.WriteAllBytes(segment, bytes);

        var node2 = new LedgerNode(new LedgerOptions { DataDirectory = _data.Path }, NullLogger<LedgerNode>.Instance);
        var error = Assert.Throws<LedgerCorruptionException>(node2.Start);
        Assert.Equal(segment, error.File);
        Assert.Equal(0, error.Offset);
        Assert.Contains("checksum", error.Message);
        node2.Dispose();
    }

    [Fact]
    public async Task A_full_queue_is_refused_with_busy()
    {
        var node = new LedgerNode(
            new LedgerOptions { DataDirectory = _data.Path, MaxPendingTransactions = 10, MaxBatchSize = 10, MaxBlockSize = 10 },
            NullLogger<LedgerNode>.Instance);
        var batch = Enumerable.Range(0, 10).Select(i => Transaction.Deposit(TxId.New(), Alice, 1)).ToArray();
        var accepted = node.SubmitAsync(batch);
        Assert.Throws<LedgerBusyException>(() => { _ = node.SubmitAsync([Transaction.Deposit(TxId.New(), Alice, 1)]); });
        node.Start();
        await accepted;
        Assert.Equal(10, node.GetAccount(Alice).State.Balance);
        node.Dispose();
    }

    [Fact]
    public async Task Inclusion_proofs_verify_against_the_state_root()
    {
        using var node = Open();
        await node.SubmitAsync(RandomBlocks.Genesis(37, 1_000));
        for (var i = 0; i < 37; i++)
        {
            var proof = node.GetProof(RandomBlocks.Account(i))!;
            Assert.True(proof.Verify());
            Assert.Equal(node.StateRoot, proof.StateRoot);
            Assert.False((proof with { State = proof.State with { Balance = 1_001 } }).Verify());
        }

        Assert.Null(node.GetProof(AccountId.FromNumber(999_999)));
    }
}
