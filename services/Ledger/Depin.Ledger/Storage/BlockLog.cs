using Depin.ServiceDefaults.Storage;
using System.Buffers;
using System.Buffers.Binary;
using Depin.Ledger.Commitment;
using Depin.Ledger.Transactions;
using Microsoft.Extensions.Logging;

namespace Depin.Ledger.Storage;

/// <summary>
/// The write-ahead log of blocks, in segment files <c>blocks-NNNNNN.wal</c>. Record: magic, payload length, CRC-32C of
/// the payload, payload (header, transactions, receipt statuses). Every append is flushed to disk before it returns.
/// Format 3 ("DPB3": transactions with job payloads, job record slots freed when empty); an older log is refused with
/// <see cref="LedgerFormatException"/>. Segments behind a durable snapshot and outside the retention window are deleted
/// (<see cref="DeleteBefore"/>), so the log starts at the first segment still present.
/// </summary>
public sealed partial class BlockLog : IDisposable
{
    public const uint Magic = 0x33425044; // "DPB3"
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
                var problem = CheckRecord(bytes, offset, out var payloadLength);
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
                visit(Decode(payload, new BlockLocation(number, baseOffset + offset, RecordHeaderSize + payloadLength)));
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

        var payloadLength = BlockHeader.EncodedSize + transactions.Length * (Transaction.EncodedSize + 1);
        var total = RecordHeaderSize + payloadLength;
        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var span = buffer.AsSpan(0, total);
            var payload = span[RecordHeaderSize..];
            header.WriteTo(payload);
            var cursor = BlockHeader.EncodedSize;
            foreach (ref readonly var tx in transactions)
            {
                tx.WriteTo(payload[cursor..]);
                cursor += Transaction.EncodedSize;
            }

            for (var i = 0; i < statuses.Length; i++)
            {
                payload[cursor + i] = (byte)statuses[i];
            }

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

        var problem = CheckRecord(bytes, 0, out var payloadLength);
        if (problem is not null)
        {
            throw new LedgerCorruptionException(path, location.Offset, problem);
        }

        return Decode(bytes.AsSpan(RecordHeaderSize, payloadLength), location);
    }

    /// <summary>Reads one transaction of a block (for a job's history); the block's checksum was verified when it was written or recovered.</summary>
    public Transaction ReadTransaction(BlockLocation location, int index)
    {
        var path = Path.Combine(_directory, SegmentName(location.Segment));
        Span<byte> bytes = stackalloc byte[Transaction.EncodedSize];
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            var offset = location.Offset + RecordHeaderSize + BlockHeader.EncodedSize + (long)index * Transaction.EncodedSize;
            if (RandomAccess.Read(handle, bytes, offset) != bytes.Length)
            {
                throw new LedgerCorruptionException(path, offset, "transaction past the end of the segment");
            }
        }

        return Transaction.ReadFrom(bytes);
    }

    public void Dispose() => _writer?.Dispose();

    private const string TornReason = "record extends past the end of the file";

    private static string? CheckRecord(byte[] bytes, long offset, out int payloadLength)
    {
        payloadLength = 0;
        var remaining = bytes.Length - offset;
        if (remaining < RecordHeaderSize)
        {
            return TornReason;
        }

        var span = bytes.AsSpan((int)offset);
        if (BinaryPrimitives.ReadUInt32LittleEndian(span) != Magic)
        {
            return span.IndexOfAnyExcept((byte)0) < 0 ? TornReason : "bad record magic";
        }

        payloadLength = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        if (payloadLength < BlockHeader.EncodedSize || (payloadLength - BlockHeader.EncodedSize) % (Transaction.EncodedSize + 1) != 0)
        {
            return "bad record length";
        }

        if (payloadLength > remaining - RecordHeaderSize)
        {
            return TornReason;
        }

        var crc = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
        return Crc32C.Compute(span.Slice(RecordHeaderSize, payloadLength)) == crc ? null : "checksum mismatch";
    }

    private static StoredBlock Decode(ReadOnlySpan<byte> payload, BlockLocation location)
    {
        var header = BlockHeader.ReadFrom(payload);
        var count = header.TransactionCount;
        var txs = new Transaction[count];
        var statuses = new ReceiptStatus[count];
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

    private FileStream OpenWriter(int segment) =>
        new(Path.Combine(_directory, SegmentName(segment)), FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a torn final record in {File} at offset {Offset} ({Bytes} bytes): {Reason}")]
    private partial void LogTornTail(string file, long offset, long bytes, string reason);
}
