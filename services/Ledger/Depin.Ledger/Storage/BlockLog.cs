using Depin.ServiceDefaults.Storage;
using System.Buffers;
using System.Buffers.Binary;
using Depin.Ledger.Commitment;
using Depin.Ledger.Transactions;
using Microsoft.Extensions.Logging;

namespace Depin.Ledger.Storage;

/// <summary>
/// The write-ahead log of blocks, in segment files <c>blocks-NNNNNN.wal</c>. Record: magic, payload length, CRC-32C of
/// the payload, payload. Every append is flushed to disk before it returns. Format 4 ("DPB4"): header, receipt statuses,
/// the offset of each transaction (and of the end) within the transaction area, then the transactions in the
/// <see cref="CompactTransaction"/> encoding. Records of format 3 ("DPB3": header, fixed-size transactions, statuses)
/// are still read, so a log written before format 4 recovers and continues in format 4; an older log is refused with
/// <see cref="LedgerFormatException"/>. Segments behind a durable snapshot and outside the retention window are deleted
/// (<see cref="DeleteBefore"/>), so the log starts at the first segment still present.
/// </summary>
public sealed partial class BlockLog : IDisposable
{
    public const uint Magic = 0x34425044; // "DPB4"
    private const uint MagicV3 = 0x33425044; // "DPB3"
    private const uint MagicV1 = 0x31425044; // "DPB1"
    private const uint MagicV2 = 0x32425044; // "DPB2"
    public const int RecordHeaderSize = 12;

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly ILogger _logger;
    private FileStream? _writer;
    private int _segment;

    public BlockLog(string directory, ILogger logger, long segmentBytes = 64L << 20)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _logger = logger;
        Directory.CreateDirectory(directory);
    }

    public static string SegmentName(int segment) => $"blocks-{segment:D6}.wal";

    /// <summary>
    /// Reads every block after <paramref name="after"/> (the snapshot's block; from the start of the log when null) in
    /// order. A torn final record is truncated with a warning; any other damage throws <see cref="LedgerCorruptionException"/>.
    /// </summary>
    public void Open(BlockLocation? after, Action<StoredBlock> visit)
    {
        var segments = Directory.GetFiles(_directory, "blocks-*.wal").Order(StringComparer.Ordinal).ToArray();
        var first = segments.Length == 0 ? 0 : SegmentNumber(segments[0]);
        for (var s = 0; s < segments.Length; s++)
        {
            if (!string.Equals(Path.GetFileName(segments[s]), SegmentName(first + s), StringComparison.Ordinal))
            {
                throw new LedgerCorruptionException(segments[s], 0, $"segment out of sequence (expected {SegmentName(first + s)})");
            }
        }

        var startSegment = after?.Segment ?? 0;
        var startOffset = after is { } a ? a.Offset + a.Length : 0;
        if ((segments.Length > 0 || after is not null) && (startSegment < first || startSegment >= first + segments.Length))
        {
            throw new LedgerCorruptionException(Path.Combine(_directory, SegmentName(startSegment)), 0,
                after is null ? $"the log starts at {SegmentName(first)} but there is no snapshot to start from" : "the segment holding the snapshot's block is missing");
        }

        for (var number = startSegment; number < first + segments.Length; number++)
        {
            var path = Path.Combine(_directory, SegmentName(number));
            var baseOffset = number == startSegment ? startOffset : 0;
            var bytes = ReadFrom(path, baseOffset);
            if (baseOffset == 0 && bytes.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) is MagicV1 or MagicV2)
            {
                throw new LedgerFormatException(_directory, $"block log format {bytes[3] - '0'}");
            }

            var isLast = number == first + segments.Length - 1;
            var offset = 0L;
            while (offset < bytes.Length)
            {
                var problem = CheckRecord(bytes, offset, out var payloadLength, out var magic);
                if (problem is not null)
                {
                    var tornTail = isLast && (problem == TornReason || offset + RecordHeaderSize + payloadLength >= bytes.Length);
                    if (!tornTail)
                    {
                        throw new LedgerCorruptionException(path, baseOffset + offset, problem);
                    }

                    LogTornTail(path, baseOffset + offset, bytes.Length - offset, problem);
                    using (var truncate = new FileStream(path, FileMode.Open, FileAccess.Write))
                    {
                        truncate.SetLength(baseOffset + offset);
                        truncate.Flush(flushToDisk: true);
                    }

                    break;
                }

                var payload = bytes.AsSpan((int)offset + RecordHeaderSize, payloadLength);
                visit(Decode(magic, payload, new BlockLocation(number, baseOffset + offset, RecordHeaderSize + payloadLength), path));
                offset += RecordHeaderSize + payloadLength;
            }
        }

        _segment = segments.Length == 0 ? 0 : first + segments.Length - 1;
        _writer = OpenWriter(_segment);
    }

    /// <summary>The segment the next block goes to.</summary>
    public int CurrentSegment => _segment;

    /// <summary>Deletes the segments numbered below <paramref name="segment"/> (never the one being written); returns how many.</summary>
    public int DeleteBefore(int segment)
    {
        var deleted = 0;
        foreach (var path in Directory.GetFiles(_directory, "blocks-*.wal"))
        {
            var number = SegmentNumber(path);
            if (number < segment && number < Volatile.Read(ref _segment))
            {
                File.Delete(path);
                deleted++;
            }
        }

        if (deleted > 0)
        {
            DurableFiles.FlushDirectory(_directory);
        }

        return deleted;
    }

    private static int SegmentNumber(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return int.TryParse(name.AsSpan("blocks-".Length), System.Globalization.NumberStyles.None, null, out var number)
            ? number
            : throw new LedgerCorruptionException(path, 0, "not a log segment name");
    }

    private static byte[] ReadFrom(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        if (offset > stream.Length)
        {
            throw new LedgerCorruptionException(path, stream.Length, $"the log ends before the snapshot's block (offset {offset})");
        }

        stream.Position = offset;
        var bytes = new byte[stream.Length - offset];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Appends a block and fsyncs it. Returns where it was written.</summary>
    public BlockLocation Append(BlockHeader header, ReadOnlySpan<Transaction> transactions, ReadOnlySpan<ReceiptStatus> statuses)
    {
        var writer = _writer ?? throw new InvalidOperationException("Open the log first.");
        if (writer.Length >= _segmentBytes)
        {
            writer.Dispose();
            Volatile.Write(ref _segment, _segment + 1);
            writer = _writer = OpenWriter(_segment);
            DurableFiles.FlushDirectory(_directory);
        }

        var count = transactions.Length;
        var area = AreaOffset(count);
        var buffer = ArrayPool<byte>.Shared.Rent(RecordHeaderSize + area + count * CompactTransaction.MaxSize);
        try
        {
            var payload = buffer.AsSpan(RecordHeaderSize);
            header.WriteTo(payload);
            for (var i = 0; i < count; i++)
            {
                payload[BlockHeader.EncodedSize + i] = (byte)statuses[i];
            }

            var offsets = payload[(BlockHeader.EncodedSize + count)..area];
            var written = 0;
            for (var i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(offsets[(4 * i)..], written);
                written += CompactTransaction.Write(transactions[i], payload[(area + written)..]);
            }

            BinaryPrimitives.WriteInt32LittleEndian(offsets[(4 * count)..], written);
            var payloadLength = area + written;
            var total = RecordHeaderSize + payloadLength;
            var span = buffer.AsSpan(0, total);
            payload = span[RecordHeaderSize..];
            BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
            BinaryPrimitives.WriteInt32LittleEndian(span[4..], payloadLength);
            BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Crc32C.Compute(payload));

            var offset = writer.Position;
            writer.Write(span);
            writer.Flush(flushToDisk: true);
            return new BlockLocation(_segment, offset, total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public StoredBlock Read(BlockLocation location)
    {
        var path = Path.Combine(_directory, SegmentName(location.Segment));
        var bytes = new byte[location.Length];
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            RandomAccess.Read(handle, bytes, location.Offset);
        }

        var problem = CheckRecord(bytes, 0, out var payloadLength, out var magic);
        if (problem is not null)
        {
            throw new LedgerCorruptionException(path, location.Offset, problem);
        }

        return Decode(magic, bytes.AsSpan(RecordHeaderSize, payloadLength), location, path);
    }

    /// <summary>Reads one transaction of a block (for a job's history); the block's checksum was verified when it was written or recovered.</summary>
    public Transaction ReadTransaction(BlockLocation location, int index)
    {
        var path = Path.Combine(_directory, SegmentName(location.Segment));
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Span<byte> head = stackalloc byte[RecordHeaderSize + BlockHeader.EncodedSize];
        ReadAt(handle, path, head, location.Offset);
        var payloadStart = location.Offset + RecordHeaderSize;
        if (BinaryPrimitives.ReadUInt32LittleEndian(head) == MagicV3)
        {
            Span<byte> fixedSize = stackalloc byte[Transaction.EncodedSize];
            ReadAt(handle, path, fixedSize, payloadStart + BlockHeader.EncodedSize + (long)index * Transaction.EncodedSize);
            return Transaction.ReadFrom(fixedSize);
        }

        var count = BlockHeader.ReadFrom(head[RecordHeaderSize..]).TransactionCount;
        Span<byte> bounds = stackalloc byte[8];
        ReadAt(handle, path, bounds, payloadStart + BlockHeader.EncodedSize + count + 4L * index);
        var start = BinaryPrimitives.ReadInt32LittleEndian(bounds);
        var length = BinaryPrimitives.ReadInt32LittleEndian(bounds[4..]) - start;
        Span<byte> bytes = stackalloc byte[CompactTransaction.MaxSize];
        if (length <= 0 || length > bytes.Length)
        {
            throw new LedgerCorruptionException(path, payloadStart, $"transaction {index} has a bad offset");
        }

        ReadAt(handle, path, bytes[..length], payloadStart + AreaOffset(count) + start);
        return CompactTransaction.TryRead(bytes[..length], out var tx, out _)
            ? tx
            : throw new LedgerCorruptionException(path, payloadStart, $"transaction {index} is not a valid encoding");
    }

    private static void ReadAt(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path, Span<byte> destination, long offset)
    {
        if (RandomAccess.Read(handle, destination, offset) != destination.Length)
        {
            throw new LedgerCorruptionException(path, offset, "read past the end of the segment");
        }
    }

    /// <summary>Where a format-4 block's transaction area starts within its payload.</summary>
    private static int AreaOffset(int count) => BlockHeader.EncodedSize + count + 4 * (count + 1);

    public void Dispose() => _writer?.Dispose();

    private const string TornReason = "record extends past the end of the file";

    private static string? CheckRecord(byte[] bytes, long offset, out int payloadLength, out uint magic)
    {
        payloadLength = 0;
        magic = 0;
        var remaining = bytes.Length - offset;
        if (remaining < RecordHeaderSize)
        {
            return TornReason;
        }

        var span = bytes.AsSpan((int)offset);
        magic = BinaryPrimitives.ReadUInt32LittleEndian(span);
        if (magic is not (Magic or MagicV3))
        {
            return span.IndexOfAnyExcept((byte)0) < 0 ? TornReason : "bad record magic";
        }

        payloadLength = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        if (payloadLength < BlockHeader.EncodedSize ||
            (magic == MagicV3 && (payloadLength - BlockHeader.EncodedSize) % (Transaction.EncodedSize + 1) != 0))
        {
            return "bad record length";
        }

        if (payloadLength > remaining - RecordHeaderSize)
        {
            return TornReason;
        }

        var payload = span.Slice(RecordHeaderSize, payloadLength);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
        if (Crc32C.Compute(payload) != crc)
        {
            return "checksum mismatch";
        }

        return magic == Magic ? CheckLayout(payload) : null;
    }

    /// <summary>A format-4 payload's offsets rise and end where the payload ends.</summary>
    private static string? CheckLayout(ReadOnlySpan<byte> payload)
    {
        var count = BlockHeader.ReadFrom(payload).TransactionCount;
        if (count < 0 || AreaOffset(count) > payload.Length)
        {
            return "bad record length";
        }

        var offsets = payload[(BlockHeader.EncodedSize + count)..];
        var previous = 0;
        for (var i = 0; i <= count; i++)
        {
            var next = BinaryPrimitives.ReadInt32LittleEndian(offsets[(4 * i)..]);
            if ((i == 0 && next != 0) || next < previous)
            {
                return "bad transaction offsets";
            }

            previous = next;
        }

        return previous == payload.Length - AreaOffset(count) ? null : "bad transaction offsets";
    }

    private static StoredBlock Decode(uint magic, ReadOnlySpan<byte> payload, BlockLocation location, string path)
    {
        var header = BlockHeader.ReadFrom(payload);
        var count = header.TransactionCount;
        var txs = new Transaction[count];
        var statuses = new ReceiptStatus[count];
        if (magic == MagicV3)
        {
            var cursor = BlockHeader.EncodedSize;
            for (var i = 0; i < count; i++)
            {
                txs[i] = Transaction.ReadFrom(payload[cursor..]);
                cursor += Transaction.EncodedSize;
            }

            for (var i = 0; i < count; i++)
            {
                statuses[i] = (ReceiptStatus)payload[cursor + i];
            }

            return new StoredBlock(header, txs, statuses, location);
        }

        var area = payload[AreaOffset(count)..];
        var offsets = payload[(BlockHeader.EncodedSize + count)..];
        for (var i = 0; i < count; i++)
        {
            statuses[i] = (ReceiptStatus)payload[BlockHeader.EncodedSize + i];
            var start = BinaryPrimitives.ReadInt32LittleEndian(offsets[(4 * i)..]);
            var end = BinaryPrimitives.ReadInt32LittleEndian(offsets[(4 * i + 4)..]);
            if (!CompactTransaction.TryRead(area[start..end], out txs[i], out var read) || read != end - start)
            {
                throw new LedgerCorruptionException(path, location.Offset, $"block {header.Height}, transaction {i}: not a valid encoding");
            }
        }

        return new StoredBlock(header, txs, statuses, location);
    }

    private FileStream OpenWriter(int segment) =>
        new(Path.Combine(_directory, SegmentName(segment)), FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a torn final record in {File} at offset {Offset} ({Bytes} bytes): {Reason}")]
    private partial void LogTornTail(string file, long offset, long bytes, string reason);
}
