using System.Security.Cryptography;

namespace Depin.ServiceDefaults.Storage;

/// <summary>
/// Blobs addressed by their SHA-256 (lower-case hex), as files under a directory fanned out by the first byte. A put is
/// durable before it returns (the file, its rename and the directories are fsynced), so anything may refer to the hash
/// afterwards; putting the same bytes again is free. Reads check the hash, so a damaged file is never served as content.
/// </summary>
public sealed class ContentStore
{
    private readonly string _directory;

    public ContentStore(string directory)
    {
        _directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(_directory);
    }

    public string Directory => _directory;

    public static string HashOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Stores the bytes (off the caller's thread: fsync blocks) and returns their hash.</summary>
    public Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        Task.Run(() => Put(content.Span), cancellationToken);

    public string Put(ReadOnlySpan<byte> content)
    {
        var hash = HashOf(content);
        var path = PathOf(hash);
        if (File.Exists(path))
        {
            return hash;
        }

        var folder = Path.GetDirectoryName(path)!;
        if (!System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.CreateDirectory(folder);
            DurableFiles.FlushDirectory(_directory);
        }

        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        DurableFiles.FlushDirectory(folder);
        return hash;
    }

    /// <summary>The bytes stored under <paramref name="hash"/>, or null when there are none (or they no longer match it).</summary>
    public async Task<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default)
    {
        if (!IsHash(hash))
        {
            return null;
        }

        var path = PathOf(hash.ToLowerInvariant());
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return HashOf(bytes).Equals(hash, StringComparison.OrdinalIgnoreCase) ? bytes : null;
    }

    public static bool IsHash(string? value) =>
        value is { Length: 64 } && !value.AsSpan().ContainsAnyExcept("0123456789abcdefABCDEF");

    private string PathOf(string hash) => Path.Combine(_directory, hash[..2], hash);
}
