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
/// Format 2 ("DPB2": transactions with job payloads); a format-1 log is refused with <see cref="LedgerFormatException"/>.
/// </summary>
public sealed partial class BlockLog : IDisposable
{
    public const uint Magic = 0x32425044; // "DPB2"
    private const uint MagicV1 = 0x31425044; // "DPB1"
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

    /// <summary>Reads every block in order. A torn final record is truncated with a warning; any other damage throws <see cref="LedgerCorruptionException"/>.</summary>
    public void Open(Action<StoredBlock> visit)
    {
        var segments = Directory.GetFiles(_directory, "blocks-*.wal").Order(StringComparer.Ordinal).ToArray();
        for (var s = 0; s < segments.Length; s++)
        {
            var path = segments[s];
            var expected = Path.Combine(_directory, SegmentName(s));
            if (!string.Equals(Path.GetFullPath(path), Path.GetFullPath(expected), StringComparison.Ordinal))
            {
                throw new LedgerCorruptionException(path, 0, $"segment out of sequence (expected {SegmentName(s)})");
            }

            var bytes = File.ReadAllBytes(path);
            if (bytes.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == MagicV1)
            {
                throw new LedgerFormatException(_directory, "block log format 1");
            }

            var isLast = s == segments.Length - 1;
            var offset = 0L;
            while (offset < bytes.Length)
            {
                var problem = CheckRecord(bytes, offset, out var payloadLength);
                if (problem is not null)
                {
                    var tornTail = isLast && (problem == TornReason || offset + RecordHeaderSize + payloadLength >= bytes.Length);
                    if (!tornTail)
                    {
                        throw new LedgerCorruptionException(path, offset, problem);
                    }

                    LogTornTail(path, offset, bytes.Length - offset, problem);
                    using (var truncate = new FileStream(path, FileMode.Open, FileAccess.Write))
                    {
                        truncate.SetLength(offset);
                        truncate.Flush(flushToDisk: true);
                    }

                    break;
                }

                var payload = bytes.AsSpan((int)offset + RecordHeaderSize, payloadLength);
                visit(Decode(payload, new BlockLocation(s, offset, RecordHeaderSize + payloadLength)));
                offset += RecordHeaderSize + payloadLength;
            }
        }

        _segment = Math.Max(0, segments.Length - 1);
        _writer = OpenWriter(_segment);
    }

    /// <summary>Appends a block and fsyncs it. Returns where it was written.</summary>
    public BlockLocation Append(BlockHeader header, ReadOnlySpan<Transaction> transactions, ReadOnlySpan<ReceiptStatus> statuses)
    {
        var writer = _writer ?? throw new InvalidOperationException("Open the log first.");
        if (writer.Length >= _segmentBytes)
        {
            writer.Dispose();
            _segment++;
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
