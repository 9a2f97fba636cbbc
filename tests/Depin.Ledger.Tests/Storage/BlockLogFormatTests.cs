using System.Buffers.Binary;
using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Node;
using Depin.Ledger.Storage;
using Depin.Ledger.Transactions;
using Depin.ServiceDefaults.Storage;
using Depin.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Depin.Ledger.Tests.Storage;

public sealed class BlockLogFormatTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Every_program_and_field_survives_the_compact_encoding()
    {
        var random = new Random(11);
        Span<byte> buffer = stackalloc byte[CompactTransaction.MaxSize];
        foreach (var program in Enum.GetValues<ProgramKind>())
        {
            for (var i = 0; i < 200; i++)
            {
                var tx = RandomTransaction(random, program);
                var written = CompactTransaction.Write(tx, buffer);

                Assert.True(CompactTransaction.TryRead(buffer[..written], out var read, out var length));
                Assert.Equal(tx, read);
                Assert.Equal(written, length);
                Assert.False(CompactTransaction.TryRead(buffer[..(written - 1)], out _, out _));
            }
        }

        var transfer = Transaction.Transfer(TxId.New(), AccountId.FromNumber(1), AccountId.FromNumber(2), 5);
        Assert.Equal(67, CompactTransaction.Write(transfer, buffer));
    }

    [Fact]
    public void Unknown_field_bits_are_not_read_as_a_transaction()
    {
        Span<byte> buffer = stackalloc byte[CompactTransaction.MaxSize];
        var written = CompactTransaction.Write(Transaction.Deposit(TxId.New(), AccountId.FromNumber(3), 9), buffer);
        buffer[18] |= 0x80;

        Assert.False(CompactTransaction.TryRead(buffer[..written], out _, out _));
    }

    [Fact]
    public async Task A_log_written_in_format_3_recovers_and_continues_in_format_4()
    {
        var alice = AccountId.FromNumber(1);
        var bob = AccountId.FromNumber(2);
        var blocks = Path.Combine(_data.Path, "blocks");
        var submitted = new List<Transaction>();
        using (var node = Open())
        {
            foreach (var tx in new[] { Transaction.Deposit(TxId.New(), alice, 1_000), Transaction.Transfer(TxId.New(), alice, bob, 250), Transaction.Stake(TxId.New(), bob, 50) })
            {
                submitted.Add(tx);
                await node.SubmitAsync([tx]);
            }

            // Disposed without StopAsync, so that no snapshot covers the log and recovery replays every block.
        }

        RewriteInFormat3(blocks);
        Assert.All(Records(blocks), magic => Assert.Equal(0x33425044u, magic));

        var late = Transaction.Transfer(TxId.New(), bob, alice, 100);
        using (var node = Open())
        {
            Assert.Equal(3, node.Height);
            Assert.Equal(750, node.GetAccount(alice).State.Balance);
            Assert.Equal(submitted[1].Id, node.GetReceipt(submitted[1].Id)!.Value.Id);
            await node.SubmitAsync([late]);
        }

        Assert.Equal([0x33425044u, 0x33425044u, 0x33425044u, BlockLog.Magic], Records(blocks));
        using (var node = Open())
        {
            Assert.Equal(4, node.Height);
            Assert.Equal(850, node.GetAccount(alice).State.Balance);
            Assert.Equal(100, node.GetAccount(bob).State.Balance);
        }

        using var log = new BlockLog(blocks, NullLogger.Instance);
        var read = new List<(StoredBlock Block, Transaction First)>();
        log.Open(null, block => read.Add((block, block.Transactions[0])));
        Assert.Equal([.. submitted, late], read.Select(r => r.First));
        Assert.All(read, r => Assert.Equal(r.First, log.ReadTransaction(r.Block.Location, 0)));
    }

    [Fact]
    public async Task Reading_one_transaction_of_a_large_block_finds_it_by_its_offset()
    {
        var txs = Enumerable.Range(0, 500).Select(i => i % 3 == 0
            ? Transaction.Deposit(TxId.New(), AccountId.FromNumber((ulong)i + 1), i + 1)
            : Transaction.Stake(TxId.New(), AccountId.FromNumber((ulong)i + 1), i + 1)).ToArray();
        using (var node = Open())
        {
            await node.SubmitAsync(txs);
        }

        using var log = new BlockLog(Path.Combine(_data.Path, "blocks"), NullLogger.Instance);
        StoredBlock? stored = null;
        log.Open(null, block => stored = block);
        Assert.NotNull(stored);
        Assert.Equal(txs, stored.Transactions);
        foreach (var i in new[] { 0, 1, 2, 250, 499 })
        {
            Assert.Equal(txs[i], log.ReadTransaction(stored.Location, i));
        }
    }

    private LedgerNode Open()
    {
        var node = new LedgerNode(new LedgerOptions { DataDirectory = _data.Path }, NullLogger<LedgerNode>.Instance);
        node.Start();
        return node;
    }

    private static Transaction RandomTransaction(Random random, ProgramKind program)
    {
        T Maybe<T>(Func<T> value) => random.Next(3) == 0 ? default! : value();
        var digest = new byte[Hash256.Size];
        random.NextBytes(digest);
        return new Transaction(
            TxId.New(),
            program,
            Maybe(() => AccountId.FromNumber((ulong)random.NextInt64())),
            Maybe(() => AccountId.FromNumber((ulong)random.NextInt64())),
            Maybe(() => random.NextInt64(long.MinValue, long.MaxValue)),
            Maybe(() => random.NextInt64()),
            Maybe(TxId.New),
            new JobPayload(
                Maybe(() => Hash256.ReadFrom(digest)),
                Maybe(TxId.New),
                Maybe(() => random.NextInt64()),
                Maybe(() => random.NextInt64()),
                Maybe(() => random.NextInt64()),
                Maybe(() => (byte)random.Next(1, 256)),
                Maybe(() => (byte)random.Next(1, 256))));
    }

    /// <summary>Each record's magic, in order, across the log's segments.</summary>
    private static List<uint> Records(string blocks)
    {
        var magics = new List<uint>();
        foreach (var path in Directory.GetFiles(blocks, "blocks-*.wal").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(path);
            for (var offset = 0; offset < bytes.Length;)
            {
                magics.Add(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)));
                offset += BlockLog.RecordHeaderSize + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4));
            }
        }

        return magics;
    }

    /// <summary>Writes the log's blocks again as format-3 records (header, fixed-size transactions, statuses), as a node before format 4 left them.</summary>
    private static void RewriteInFormat3(string blocks)
    {
        var stored = new List<StoredBlock>();
        using (var log = new BlockLog(blocks, NullLogger.Instance))
        {
            log.Open(null, stored.Add);
        }

        foreach (var path in Directory.GetFiles(blocks, "blocks-*.wal"))
        {
            File.Delete(path);
        }

        using var file = new FileStream(Path.Combine(blocks, BlockLog.SegmentName(0)), FileMode.Create);
        foreach (var block in stored)
        {
            var payload = new byte[BlockHeader.EncodedSize + block.Transactions.Length * (Transaction.EncodedSize + 1)];
            block.Header.WriteTo(payload);
            var cursor = BlockHeader.EncodedSize;
            foreach (var tx in block.Transactions)
            {
                tx.WriteTo(payload.AsSpan(cursor));
                cursor += Transaction.EncodedSize;
            }

            for (var i = 0; i < block.Statuses.Length; i++)
            {
                payload[cursor + i] = (byte)block.Statuses[i];
            }

            var head = new byte[BlockLog.RecordHeaderSize];
            BinaryPrimitives.WriteUInt32LittleEndian(head, 0x33425044);
            BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(4), payload.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(8), Crc32C.Compute(payload));
            file.Write(head);
            file.Write(payload);
        }
    }
}
