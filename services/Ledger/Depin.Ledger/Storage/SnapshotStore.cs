using Depin.ServiceDefaults.Storage;
using System.Buffers.Binary;
using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Jobs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Storage;

/// <summary>
/// Snapshot files <c>snapshot-HHHHHHHHHHHH.snap</c>, format 2: magic "DPS2", height, block hash, state root, account
/// count, accounts, job record count, records, CRC-32C of everything before it. Streamed in and out (no single array
/// holds a snapshot, so it is not bound to 2 GB). Written atomically (temp file, fsync, rename); the two newest are kept.
/// A format-1 snapshot is refused with <see cref="LedgerFormatException"/>.
/// </summary>
public sealed class SnapshotStore(string directory)
{
    private const uint Magic = 0x32535044; // "DPS2"
    private const uint MagicV1 = 0x31535044; // "DPS1"
    private const int HeaderSize = 4 + 8 + Hash256.Size * 2;
    private const int AccountSize = AccountId.Size + AccountState.EncodedSize;
    private const int JobSize = TxId.Size + JobRecord.EncodedSize;
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

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes);
        var reader = new ChunkReader(stream, path);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (!reader.TryRead(header))
        {
            throw new LedgerCorruptionException(path, 0, "bad snapshot header");
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (magic == MagicV1)
        {
            throw new LedgerFormatException(directory, "snapshot format 1");
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

        reader.VerifyChecksum();
        return new Snapshot(BinaryPrimitives.ReadInt64LittleEndian(header[4..]), Hash256.ReadFrom(header[12..]), Hash256.ReadFrom(header[44..]), ids, states, jobIds, jobs);
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

    /// <summary>Reads exact spans, keeping a running CRC of everything read.</summary>
    private sealed class ChunkReader(Stream stream, string path)
    {
        private uint _crc = Crc32C.Initial;

        public bool TryRead(Span<byte> destination)
        {
            if (stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false) != destination.Length)
            {
                return false;
            }

            _crc = Crc32C.Update(_crc, destination);
            return true;
        }

        public void Read(Span<byte> destination)
        {
            if (!TryRead(destination))
            {
                throw new LedgerCorruptionException(path, stream.Position, "snapshot ends early");
            }
        }

        /// <summary>A count of fixed-size items that must fit in what is left of the file.</summary>
        public int ReadCount(int itemSize)
        {
            Span<byte> bytes = stackalloc byte[8];
            Read(bytes);
            var count = BinaryPrimitives.ReadInt64LittleEndian(bytes);
            if (count < 0 || count > int.MaxValue || count * itemSize > stream.Length - stream.Position)
            {
                throw new LedgerCorruptionException(path, stream.Position - 8, "snapshot length does not match its item count");
            }

            return (int)count;
        }

        public void VerifyChecksum()
        {
            var expected = Crc32C.Finish(_crc);
            Span<byte> stored = stackalloc byte[4];
            if (stream.ReadAtLeast(stored, 4, throwOnEndOfStream: false) != 4 || BinaryPrimitives.ReadUInt32LittleEndian(stored) != expected)
            {
                throw new LedgerCorruptionException(path, stream.Position, "snapshot checksum mismatch");
            }

            if (stream.Position != stream.Length)
            {
                throw new LedgerCorruptionException(path, stream.Position, "snapshot has trailing bytes");
            }
        }
    }
}
