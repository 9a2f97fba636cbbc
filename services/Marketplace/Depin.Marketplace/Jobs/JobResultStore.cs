using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Jobs;

/// <summary>Uploaded result bytes, one file per job and fencing token (a stale upload never overwrites the accepted one).</summary>
public interface IJobResultStore
{
    Task SaveAsync(Guid jobId, long fencingToken, string workerId, ReadOnlyMemory<byte> result, CancellationToken cancellationToken = default);

    /// <summary>The bytes, or null when none were stored.</summary>
    Task<byte[]?> ReadAsync(Guid jobId, long fencingToken, string workerId, CancellationToken cancellationToken = default);
}

/// <summary>Results as files under <see cref="MarketplaceOptions.ResultsDirectory"/>.</summary>
public sealed class FileJobResultStore : IJobResultStore
{
    private readonly string _directory;

    public FileJobResultStore(IOptions<MarketplaceOptions> options)
    {
        _directory = options.Value.ResultsDirectory ?? Path.Combine(Path.GetTempPath(), "depin-marketplace", "results");
        Directory.CreateDirectory(_directory);
    }

    public async Task SaveAsync(Guid jobId, long fencingToken, string workerId, ReadOnlyMemory<byte> result, CancellationToken cancellationToken = default)
    {
        var path = PathOf(jobId, fencingToken, workerId);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temp, result.ToArray(), cancellationToken);
        File.Move(temp, path, overwrite: true);
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
