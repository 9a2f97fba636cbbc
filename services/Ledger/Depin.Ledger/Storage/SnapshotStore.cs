using Depin.ServiceDefaults.Storage;
using System.Buffers.Binary;
using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Jobs;
using Depin.Ledger.Node;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Storage;

/// <summary>
/// Snapshot files <c>snapshot-HHHHHHHHHHHH.snap</c>, format 3: magic "DPS3", height, block hash, state root; then, each
/// after its count: accounts, job records, retained blocks (header, log location, receipt statuses), the transaction-id
/// index (id, height and position), job histories (job id, events: height, position, program, status), the customers' and
/// the providers' job lists (account, first position, job ids); last the CRC-32C of everything before it. Streamed in and
/// out (no single array holds a snapshot, so it is not bound to 2 GB). Written atomically (temp file, fsync, rename); the
/// two newest are kept. An older snapshot is refused with <see cref="LedgerFormatException"/>.
/// </summary>
internal sealed class SnapshotStore(string directory)
{
    private const uint Magic = 0x33535044; // "DPS3"
    private const uint MagicV1 = 0x31535044; // "DPS1"
    private const uint MagicV2 = 0x32535044; // "DPS2"
    private const int HeaderSize = 4 + 8 + Hash256.Size * 2;
    private const int AccountSize = AccountId.Size + AccountState.EncodedSize;
    private const int JobSize = TxId.Size + JobRecord.EncodedSize;
    private const int BlockSize = BlockHeader.EncodedSize + 4 + 8 + 4;
    private const int ReceiptSize = TxId.Size + 8;
    private const int EventSize = 8 + 4 + 1 + 1;
    private const int ChunkBytes = 1 << 20;

    public void Write(Snapshot snapshot)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"snapshot-{snapshot.Height:D12}.snap");
        DurableFiles.WriteAtomically(path, stream =>
        {
            var writer = new ChunkWriter(stream);
            var header = writer.Next(HeaderSize);
            BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
            BinaryPrimitives.WriteInt64LittleEndian(header[4..], snapshot.Height);
            snapshot.BlockHash.WriteTo(header[12..]);
            snapshot.StateRoot.WriteTo(header[44..]);
            BinaryPrimitives.WriteInt64LittleEndian(writer.Next(8), snapshot.Ids.Length);
            for (var i = 0; i < snapshot.Ids.Length; i++)
            {
                var span = writer.Next(AccountSize);
                snapshot.Ids[i].WriteTo(span);
                snapshot.States[i].WriteTo(span[AccountId.Size..]);
            }

            BinaryPrimitives.WriteInt64LittleEndian(writer.Next(8), snapshot.JobIds.Length);
            for (var i = 0; i < snapshot.JobIds.Length; i++)
            {
                var span = writer.Next(JobSize);
                snapshot.JobIds[i].WriteTo(span);
                snapshot.Jobs[i].WriteTo(span[TxId.Size..]);
            }

            WriteBlocks(writer, snapshot.Blocks);
            BinaryPrimitives.WriteInt64LittleEndian(writer.Next(8), snapshot.Receipts.Length);
            foreach (var (id, packed) in snapshot.Receipts)
            {
                var span = writer.Next(ReceiptSize);
                id.WriteTo(span);
                BinaryPrimitives.WriteInt64LittleEndian(span[TxId.Size..], packed);
            }

            WriteHistories(writer, snapshot.JobIndex);
            WriteLists(writer, snapshot.JobIndex.Customers);
            WriteLists(writer, snapshot.JobIndex.Providers);
            writer.Finish();
        });

        foreach (var old in List().Skip(2))
        {
            File.Delete(old);
        }
    }

    /// <summary>The newest snapshot, or null when there is none. A damaged snapshot throws <see cref="LedgerCorruptionException"/>.</summary>
    public Snapshot? LoadLatest()
    {
        var path = List().FirstOrDefault();
        if (path is null)
        {
            return null;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var reader = new ChunkReader(stream, path);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (!reader.TryRead(header))
        {
            throw new LedgerCorruptionException(path, 0, "bad snapshot header");
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (magic is MagicV1 or MagicV2)
        {
            throw new LedgerFormatException(directory, $"snapshot format {header[3] - '0'}");
        }

        if (magic != Magic)
        {
            throw new LedgerCorruptionException(path, 0, "bad snapshot header");
        }

        var count = reader.ReadCount(AccountSize);
        var ids = new AccountId[count];
        var states = new AccountState[count];
        Span<byte> account = stackalloc byte[AccountSize];
        for (var i = 0; i < count; i++)
        {
            reader.Read(account);
            ids[i] = new AccountId(account[..AccountId.Size]);
            states[i] = AccountState.ReadFrom(account[AccountId.Size..]);
        }

        var jobCount = reader.ReadCount(JobSize);
        var jobIds = new TxId[jobCount];
        var jobs = new JobRecord[jobCount];
        Span<byte> job = stackalloc byte[JobSize];
        for (var i = 0; i < jobCount; i++)
        {
            reader.Read(job);
            jobIds[i] = TxId.ReadFrom(job);
            jobs[i] = JobRecord.ReadFrom(job[TxId.Size..]);
        }

        var blocks = ReadBlocks(reader);
        var receiptCount = reader.ReadCount(ReceiptSize);
        var receipts = new (TxId, long)[receiptCount];
        Span<byte> receipt = stackalloc byte[ReceiptSize];
        for (var i = 0; i < receiptCount; i++)
        {
            reader.Read(receipt);
            receipts[i] = (TxId.ReadFrom(receipt), BinaryPrimitives.ReadInt64LittleEndian(receipt[TxId.Size..]));
        }

        var (historyJobs, eventCounts, events) = ReadHistories(reader);
        var customers = ReadLists(reader);
        var providers = ReadLists(reader);
        reader.VerifyChecksum();
        return new Snapshot(
            BinaryPrimitives.ReadInt64LittleEndian(header[4..]),
            Hash256.ReadFrom(header[12..]),
            Hash256.ReadFrom(header[44..]),
            ids,
            states,
            jobIds,
            jobs,
            blocks,
            receipts,
            new JobIndexSnapshot(historyJobs, eventCounts, events, customers, providers));
    }

    private static void WriteBlocks(ChunkWriter writer, CommittedBlock[] blocks)
    {
        BinaryPrimitives.WriteInt64LittleEndian(writer.Next(8), blocks.Length);
        foreach (var block in blocks)
        {
            var span = writer.Next(BlockSize);
            block.Header.WriteTo(span);
            BinaryPrimitives.WriteInt32LittleEndian(span[BlockHeader.EncodedSize..], block.Location.Segment);
            BinaryPrimitives.WriteInt64LittleEndian(span[(BlockHeader.EncodedSize + 4)..], block.Location.Offset);
            BinaryPrimitives.WriteInt32LittleEndian(span[(BlockHeader.EncodedSize + 12)..], block.Location.Length);
            var statuses = writer.Next(block.Statuses.Length);
            for (var i = 0; i < block.Statuses.Length; i++)
            {
                statuses[i] = (byte)block.Statuses[i];
            }
        }
    }

    private static CommittedBlock[] ReadBlocks(ChunkReader reader)
    {
        var count = reader.ReadCount(BlockSize);
        var blocks = new CommittedBlock[count];
        var fixedPart = new byte[BlockSize];
        for (var i = 0; i < count; i++)
        {
            reader.Read(fixedPart);
            var header = BlockHeader.ReadFrom(fixedPart);
            var location = new BlockLocation(
                BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(BlockHeader.EncodedSize)),
                BinaryPrimitives.ReadInt64LittleEndian(fixedPart.AsSpan(BlockHeader.EncodedSize + 4)),
                BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(BlockHeader.EncodedSize + 12)));
            var raw = new byte[reader.CheckLength(header.TransactionCount)];
            reader.Read(raw);
            var statuses = new ReceiptStatus[raw.Length];
            for (var k = 0; k < raw.Length; k++)
            {
                statuses[k] = (ReceiptStatus)raw[k];
            }

            blocks[i] = new CommittedBlock(header, header.Hash, location, statuses);
        }

        return blocks;
    }

    private static void WriteHistories(ChunkWriter writer, JobIndexSnapshot index)
    {
        BinaryPrimitives.WriteInt64LittleEndian(writer.Next(8), index.Jobs.Length);
        var cursor = 0;
        for (var i = 0; i < index.Jobs.Length; i++)
        {
            var head = writer.Next(TxId.Size + 4);
            index.Jobs[i].WriteTo(head);
            BinaryPrimitives.WriteInt32LittleEndian(head[TxId.Size..], index.EventCounts[i]);
            for (var k = 0; k < index.EventCounts[i]; k++)
            {
                var e = index.Events[cursor++];
                var span = writer.Next(EventSize);
                BinaryPrimitives.WriteInt64LittleEndian(span, e.Height);
                BinaryPrimitives.WriteInt32LittleEndian(span[8..], e.Index);
                span[12] = (byte)e.Program;
                span[13] = (byte)e.Status;
            }
        }
    }

    private static (TxId[] Jobs, int[] Counts, JobEvent[] Events) ReadHistories(ChunkReader reader)
    {
        var count = reader.ReadCount(TxId.Size + 4 + EventSize);
        var jobs = new TxId[count];
        var counts = new int[count];
        var events = new List<JobEvent>(count * 4);
        Span<byte> head = stackalloc byte[TxId.Size + 4];
        Span<byte> span = stackalloc byte[EventSize];
        for (var i = 0; i < count; i++)
        {
            reader.Read(head);
            jobs[i] = TxId.ReadFrom(head);
            counts[i] = reader.CheckLength(BinaryPrimitives.ReadInt32LittleEndian(head[TxId.Size..]) * (long)EventSize) / EventSize;
            for (var k = 0; k < counts[i]; k++)
            {
                reader.Read(span);
                events.Add(new JobEvent(BinaryPrimitives.ReadInt64LittleEndian(span), BinaryPrimitives.ReadInt32LittleEndian(span[8..]), (ProgramKind)span[12], (ReceiptStatus)span[13]));
            }
        }

        return (jobs, counts, [.. events]);
    }

    private static void WriteLists(ChunkWriter writer, JobListSnapshot[] lists)
    {
        BinaryPrimitives.WriteInt64LittleEndian(writer.Next(8), lists.Length);
        foreach (var list in lists)
        {
            var head = writer.Next(AccountId.Size + 8 + 4);
            list.Account.WriteTo(head);
            BinaryPrimitives.WriteInt64LittleEndian(head[AccountId.Size..], list.Base);
            BinaryPrimitives.WriteInt32LittleEndian(head[(AccountId.Size + 8)..], list.Ids.Length);
            foreach (var id in list.Ids)
            {
                id.WriteTo(writer.Next(TxId.Size));
            }
        }
    }

    private static JobListSnapshot[] ReadLists(ChunkReader reader)
    {
        var count = reader.ReadCount(AccountId.Size + 8 + 4);
        var lists = new JobListSnapshot[count];
        Span<byte> head = stackalloc byte[AccountId.Size + 8 + 4];
        Span<byte> id = stackalloc byte[TxId.Size];
        for (var i = 0; i < count; i++)
        {
            reader.Read(head);
            var ids = new TxId[reader.CheckLength(BinaryPrimitives.ReadInt32LittleEndian(head[(AccountId.Size + 8)..]) * (long)TxId.Size) / TxId.Size];
            for (var k = 0; k < ids.Length; k++)
            {
                reader.Read(id);
                ids[k] = TxId.ReadFrom(id);
            }

            lists[i] = new JobListSnapshot(new AccountId(head[..AccountId.Size]), BinaryPrimitives.ReadInt64LittleEndian(head[AccountId.Size..]), ids);
        }

        return lists;
    }

    private IEnumerable<string> List() =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "snapshot-*.snap").OrderDescending(StringComparer.Ordinal)
            : [];

    /// <summary>Fills a buffer and writes it out a chunk at a time, keeping a running CRC of everything written.</summary>
    private sealed class ChunkWriter(Stream stream)
    {
        private readonly byte[] _buffer = new byte[ChunkBytes];
        private int _used;
        private uint _crc = Crc32C.Initial;

        public Span<byte> Next(int size)
        {
            if (_used + size > _buffer.Length)
            {
                Flush();
            }

            var span = _buffer.AsSpan(_used, size);
            _used += size;
            return span;
        }

        public void Finish()
        {
            Flush();
            Span<byte> crc = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32C.Finish(_crc));
            stream.Write(crc);
        }

        private void Flush()
        {
            _crc = Crc32C.Update(_crc, _buffer.AsSpan(0, _used));
            stream.Write(_buffer, 0, _used);
            _used = 0;
        }
    }

    /// <summary>
    /// Reads exact spans out of a buffer refilled a chunk at a time from the file's data (everything before the trailing
    /// CRC), keeping a running CRC of each chunk.
    /// </summary>
    private sealed class ChunkReader
    {
        private readonly Stream _stream;
        private readonly string _path;
        private readonly long _dataLength;
        private readonly byte[] _buffer = new byte[ChunkBytes];
        private uint _crc = Crc32C.Initial;
        private long _consumed;
        private int _offset;
        private int _filled;

        public ChunkReader(Stream stream, string path)
        {
            _stream = stream;
            _path = path;
            _dataLength = Math.Max(0, stream.Length - 4);
        }

        private long Position => _consumed + _offset;

        private long Remaining => _dataLength - Position;

        public bool TryRead(Span<byte> destination)
        {
            if (destination.Length > Remaining)
            {
                return false;
            }

            var copied = 0;
            while (copied < destination.Length)
            {
                if (_offset == _filled)
                {
                    Refill();
                }

                var take = Math.Min(destination.Length - copied, _filled - _offset);
                _buffer.AsSpan(_offset, take).CopyTo(destination[copied..]);
                _offset += take;
                copied += take;
            }

            return true;
        }

        public void Read(Span<byte> destination)
        {
            if (!TryRead(destination))
            {
                throw new LedgerCorruptionException(_path, Position, "snapshot ends early");
            }
        }

        /// <summary>A count of fixed-size items that must fit in what is left of the file.</summary>
        public int ReadCount(int itemSize)
        {
            Span<byte> bytes = stackalloc byte[8];
            Read(bytes);
            var count = BinaryPrimitives.ReadInt64LittleEndian(bytes);
            if (count < 0 || count > int.MaxValue || count * itemSize > Remaining)
            {
                throw new LedgerCorruptionException(_path, Position - 8, "snapshot length does not match its item count");
            }

            return (int)count;
        }

        /// <summary>A length in bytes read from the file, which must fit in what is left of it.</summary>
        public int CheckLength(long bytes)
        {
            if (bytes < 0 || bytes > Remaining)
            {
                throw new LedgerCorruptionException(_path, Position, "snapshot length does not match its contents");
            }

            return (int)bytes;
        }

        public void VerifyChecksum()
        {
            if (Remaining != 0)
            {
                throw new LedgerCorruptionException(_path, Position, "snapshot has trailing bytes");
            }

            var expected = Crc32C.Finish(_crc);
            Span<byte> stored = stackalloc byte[4];
            _stream.Position = _dataLength;
            if (_stream.ReadAtLeast(stored, 4, throwOnEndOfStream: false) != 4 || BinaryPrimitives.ReadUInt32LittleEndian(stored) != expected)
            {
                throw new LedgerCorruptionException(_path, _dataLength, "snapshot checksum mismatch");
            }
        }

        private void Refill()
        {
            _consumed += _filled;
            var size = (int)Math.Min(_buffer.Length, _dataLength - _consumed);
            _stream.Position = _consumed;
            _stream.ReadExactly(_buffer, 0, size);
            _crc = Crc32C.Update(_crc, _buffer.AsSpan(0, size));
            _offset = 0;
            _filled = size;
        }
    }
}
