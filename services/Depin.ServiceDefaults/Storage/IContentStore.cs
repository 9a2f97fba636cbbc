namespace Depin.ServiceDefaults.Storage;

/// <summary>Durable blobs addressed by their SHA-256 (lower-case hex): a put returns once the bytes are durable.</summary>
public interface IContentStore
{
    /// <summary>Stores the bytes durably and returns their hash; storing the same bytes again is free.</summary>
    Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>The bytes stored under <paramref name="hash"/>, or null when there are none (or they no longer match it).</summary>
    Task<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default);
}
