using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;

namespace Depin.ServiceDefaults.Storage;

/// <summary>
/// Blobs addressed by their SHA-256 (lower-case hex), appended to segment files <c>content-NNNNNN.log</c> under a
/// directory and group-committed: a put returns once its record and every record written with it are fsynced (one fsync
/// per batch instead of a file, a rename and two fsyncs per blob), and a new segment is made durable in its directory
/// before anything is written to it. So anything may refer to the hash once the put returns; putting the same bytes
/// again is free. Record: magic "DPC1", length, SHA-256, CRC-32C of the bytes, the bytes. The index (hash → place) is
/// kept in memory and rebuilt at start from the record headers; a torn final record is cut off, and a damaged record of
/// the last segment is left out. Reads check the hash, so a damaged record is never served as content.
/// </summary>
public sealed class ContentStore : IContentStore, IDisposable
{
    private const uint Magic = 0x31435044; // "DPC1"
    private const int HeaderSize = 4 + 4 + 32 + 4;
    private const int MaxBatchBytes = 8 << 20;

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly Dictionary<Key, Location> _index = [];
    private readonly List<SafeFileHandle> _readers = [];
    private readonly Lock _lock = new();
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private FileStream _current;
    private long _position;
    private int _segment;
    private Exception? _fault;

    public ContentStore(string directory, long segmentBytes = 64L << 20)
    {
        _directory = Path.GetFullPath(directory);
        _segmentBytes = segmentBytes;
        System.IO.Directory.CreateDirectory(_directory);
        _current = Recover();
        _writer = Task.Factory.StartNew(WriteLoop, TaskCreationOptions.LongRunning).Unwrap();
    }

    public string Directory => _directory;

    /// <summary>Blobs stored.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _index.Count;
            }
        }
    }

    public static string HashOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static bool IsHash(string? value) =>
        value is { Length: 64 } && !value.AsSpan().ContainsAnyExcept("0123456789abcdefABCDEF");

    /// <summary>Stores the bytes durably (with whatever else is being stored at the same time) and returns their hash.</summary>
    public Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(content.Span, hash);
        var key = Key.From(hash);
        var hex = Convert.ToHexStringLower(hash);
        lock (_lock)
        {
            if (_index.ContainsKey(key))
            {
                return Task.FromResult(hex);
            }
        }

        if (_fault is not null)
        {
            throw new IOException("The content store stopped after a write failure.", _fault);
        }

        var pending = new Pending(content.ToArray(), key, hex);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(ContentStore));
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The bytes stored under <paramref name="hash"/>, or null when there are none (or they no longer match it).</summary>
    public async Task<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default)
    {
        if (!IsHash(hash))
        {
            return null;
        }

        var key = Key.From(Convert.FromHexString(hash));
        SafeFileHandle handle;
        Location location;
        lock (_lock)
        {
            if (!_index.TryGetValue(key, out location))
            {
                return null;
            }

            handle = Reader(location.Segment);
        }

        var bytes = new byte[location.Length];
        await RandomAccess.ReadAsync(handle, bytes, location.Offset, cancellationToken).ConfigureAwait(false);
        return HashOf(bytes).Equals(hash, StringComparison.OrdinalIgnoreCase) ? bytes : null;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        try
        {
            _writer.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
        }

        _current.Dispose();
        lock (_lock)
        {
            foreach (var reader in _readers)
            {
                reader.Dispose();
            }
        }
    }

    private static string SegmentName(int segment) => $"content-{segment:D6}.log";

    private string SegmentPath(int segment) => Path.Combine(_directory, SegmentName(segment));

    /// <summary>Indexes every record; checks the last segment's bytes too and cuts off a torn tail there.</summary>
    private FileStream Recover()
    {
        var segments = System.IO.Directory.GetFiles(_directory, "content-*.log").Order(StringComparer.Ordinal).ToArray();
        for (var s = 0; s < segments.Length; s++)
        {
            if (!string.Equals(Path.GetFullPath(segments[s]), SegmentPath(s), StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{segments[s]}: content segment out of sequence (expected {SegmentName(s)})");
            }

            var last = s == segments.Length - 1;
            using var file = new FileStream(segments[s], FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
            var header = new byte[HeaderSize];
            var offset = 0L;
            while (offset < file.Length)
            {
                file.Position = offset;
                var problem = file.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize ? "torn header"
                    : BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic ? "bad magic"
                    : null;
                var length = problem is null ? BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4)) : 0;
                if (problem is null && (length < 0 || offset + HeaderSize + length > file.Length))
                {
                    problem = "torn record";
                }

                var intact = true;
                if (problem is null && last)
                {
                    // A whole record whose bytes do not match is left out of the index (reads of it find nothing); the rest stays.
                    var content = new byte[length];
                    file.ReadExactly(content);
                    intact = Crc32C.Compute(content) == BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(40));
                }

                if (problem is not null)
                {
                    if (!last)
                    {
                        throw new InvalidDataException($"{segments[s]} at {offset}: {problem}");
                    }

                    file.SetLength(offset);
                    file.Flush(flushToDisk: true);
                    break;
                }

                if (intact)
                {
                    _index[Key.From(header.AsSpan(8, 32))] = new Location(s, offset + HeaderSize, length);
                }

                offset += HeaderSize + length;
            }
        }

        _segment = Math.Max(0, segments.Length - 1);
        var writer = OpenSegment(_segment);
        if (segments.Length == 0)
        {
            DurableFiles.FlushDirectory(_directory);
        }

        return writer;
    }

    private FileStream OpenSegment(int segment)
    {
        var stream = new FileStream(SegmentPath(segment), FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
        _position = stream.Length;
        return stream;
    }

    private SafeFileHandle Reader(int segment)
    {
        while (_readers.Count <= segment)
        {
            _readers.Add(File.OpenHandle(SegmentPath(_readers.Count), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.Asynchronous));
        }

        return _readers[segment];
    }

    private async Task WriteLoop()
    {
        var batch = new List<Pending>();
        var written = new Dictionary<Key, Location>();
        var header = new byte[HeaderSize];
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            written.Clear();
            var bytes = 0L;
            while (bytes < MaxBatchBytes && reader.TryRead(out var next))
            {
                batch.Add(next);
                bytes += next.Content.Length;
            }

            try
            {
                foreach (var pending in batch)
                {
                    bool known;
                    lock (_lock)
                    {
                        known = _index.ContainsKey(pending.Key);
                    }

                    if (known || written.ContainsKey(pending.Key))
                    {
                        continue;
                    }

                    if (_position > 0 && _position + HeaderSize + pending.Content.Length > _segmentBytes)
                    {
                        _current.Flush(flushToDisk: true);
                        _current.Dispose();
                        _current = OpenSegment(++_segment);
                        DurableFiles.FlushDirectory(_directory);
                    }

                    BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
                    BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), pending.Content.Length);
                    pending.Key.WriteTo(header.AsSpan(8, 32));
                    BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), Crc32C.Compute(pending.Content));
                    var offset = _position;
                    _current.Write(header);
                    _current.Write(pending.Content);
                    _position += HeaderSize + pending.Content.Length;
                    written[pending.Key] = new Location(_segment, offset + HeaderSize, pending.Content.Length);
                }

                _current.Flush(flushToDisk: true);
                lock (_lock)
                {
                    foreach (var (key, location) in written)
                    {
                        _index[key] = location;
                    }
                }

                foreach (var pending in batch)
                {
                    pending.Done.TrySetResult(pending.Hash);
                }
            }
            catch (Exception ex)
            {
                _fault = ex;
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(ex);
                }

                _queue.Writer.TryComplete();
                while (reader.TryRead(out var orphan))
                {
                    orphan.Done.TrySetException(ex);
                }

                return;
            }
        }
    }

    private readonly record struct Location(int Segment, long Offset, int Length);

    private readonly record struct Key(ulong A, ulong B, ulong C, ulong D)
    {
        public static Key From(ReadOnlySpan<byte> hash) => new(
            BinaryPrimitives.ReadUInt64LittleEndian(hash),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));

        public void WriteTo(Span<byte> destination)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination, A);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], B);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], C);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], D);
        }
    }

    private sealed class Pending(byte[] content, Key key, string hash)
    {
        public byte[] Content { get; } = content;

        public Key Key { get; } = key;

        public string Hash { get; } = hash;

        public TaskCompletionSource<string> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
