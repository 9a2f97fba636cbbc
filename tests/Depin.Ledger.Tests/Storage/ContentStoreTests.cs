using System.Text;
using Depin.ServiceDefaults.Storage;
using Depin.Testing;

namespace Depin.Ledger.Tests.Storage;

public sealed class ContentStoreTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Concurrent_puts_are_stored_once_by_hash_and_found_again_after_a_reopen()
    {
        var blobs = Enumerable.Range(0, 500).Select(i => Encoding.UTF8.GetBytes($"blob {i % 400} " + new string('x', i))).ToArray();
        string[] hashes;
        using (var store = new ContentStore(_data.Path, segmentBytes: 16 << 10))
        {
            hashes = await Task.WhenAll(blobs.Select(b => Task.Run(() => store.PutAsync(b))));
            Assert.Equal(blobs.Select(b => ContentStore.HashOf(b)), hashes);
            Assert.Equal(blobs.Distinct(new BytesComparer()).Count(), store.Count);
        }

        using var reopened = new ContentStore(_data.Path, segmentBytes: 16 << 10);
        var read = await Task.WhenAll(hashes.Select(h => reopened.GetAsync(h)));

        Assert.True(Directory.GetFiles(_data.Path, "content-*.log").Length > 1, "expected the store to roll over to new segments");
        Assert.All(blobs.Zip(read), pair => Assert.Equal(pair.First, pair.Second));
        Assert.Null(await reopened.GetAsync(ContentStore.HashOf([1, 2, 3])));
        Assert.Null(await reopened.GetAsync("not-a-hash"));
    }

    [Fact]
    public async Task A_torn_final_record_is_cut_off_and_what_came_before_it_stays()
    {
        string kept;
        using (var store = new ContentStore(_data.Path))
        {
            kept = await store.PutAsync("kept"u8.ToArray());
            await store.PutAsync(new byte[4_000]);
        }

        var segment = Directory.GetFiles(_data.Path, "content-*.log").Single();
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(file.Length - 100);
        }

        using var reopened = new ContentStore(_data.Path);
        var again = await reopened.PutAsync("after"u8.ToArray());

        Assert.Equal("kept"u8.ToArray(), await reopened.GetAsync(kept));
        Assert.Null(await reopened.GetAsync(ContentStore.HashOf(new byte[4_000])));
        Assert.Equal("after"u8.ToArray(), await reopened.GetAsync(again));
    }

    [Fact]
    public async Task Bytes_damaged_on_disk_are_never_served_as_content()
    {
        string hash, later;
        using (var store = new ContentStore(_data.Path))
        {
            hash = await store.PutAsync("original content"u8.ToArray());
            later = await store.PutAsync("a later record"u8.ToArray());
        }

        var segment = Directory.GetFiles(_data.Path, "content-*.log").Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        bytes[44] ^= 0xFF;
        await File.WriteAllBytesAsync(segment, bytes);

        using var reopened = new ContentStore(_data.Path);
        Assert.Null(await reopened.GetAsync(hash));
        Assert.Equal("a later record"u8.ToArray(), await reopened.GetAsync(later));
    }

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
