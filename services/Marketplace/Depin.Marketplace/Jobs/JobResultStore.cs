using Depin.ServiceDefaults.Storage;
using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Jobs;

/// <summary>Uploaded result bytes, one file per job and fencing token (a stale upload never overwrites the accepted one).</summary>
public interface IJobResultStore
{
    Task SaveAsync(Guid jobId, long fencingToken, string workerId, ReadOnlyMemory<byte> result, CancellationToken cancellationToken = default);

    /// <summary>The bytes, or null when none were stored.</summary>
    Task<byte[]?> ReadAsync(Guid jobId, long fencingToken, string workerId, CancellationToken cancellationToken = default);
}

/// <summary>Results as files under <see cref="MarketplaceOptions.ResultsDirectory"/>, each written durably (file and directory fsynced).</summary>
public sealed class FileJobResultStore : IJobResultStore
{
    private readonly string _directory;

    public FileJobResultStore(IOptions<MarketplaceOptions> options)
    {
        _directory = options.Value.ResultsDirectory ?? Path.Combine(".data", "results");
        Directory.CreateDirectory(_directory);
    }

    public async Task SaveAsync(Guid jobId, long fencingToken, string workerId, ReadOnlyMemory<byte> result, CancellationToken cancellationToken = default)
    {
        // Durable before anything refers to it: the file and the rename are fsynced (a SIGKILL cannot show the difference,
        // since the page cache survives a process kill; a power cut can).
        var path = PathOf(jobId, fencingToken, workerId);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            await file.WriteAsync(result, cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        DurableFiles.FlushDirectory(_directory);
    }

    public async Task<byte[]?> ReadAsync(Guid jobId, long fencingToken, string workerId, CancellationToken cancellationToken = default)
    {
        var path = PathOf(jobId, fencingToken, workerId);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    // Keyed by worker too, so an upload by a worker that does not hold the lease can never replace the holder's bytes.
    private string PathOf(Guid jobId, long fencingToken, string workerId) =>
        Path.Combine(_directory, $"{jobId:N}.{fencingToken}.{Auth.ApiKeys.Hash(workerId)[..16]}.bin");
}
