using System.Text.Json;
using Depin.ServiceDefaults.Storage;

namespace Depin.Marketplace.Jobs;

/// <summary>
/// Jobs as their customers submitted them (kind, parameters, input, bid, deadline), kept in the content store. The
/// SHA-256 of the stored document is the parameters hash that the job's ledger record commits to, so the record alone
/// finds the job again after any restart, and the bytes found are the bytes that were funded.
/// </summary>
public sealed class JobSpecs(IContentStore content)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Stores the submission durably and returns its hash.</summary>
    public Task<string> PutAsync(JobSubmission submission, CancellationToken cancellationToken = default) =>
        content.PutAsync(JsonSerializer.SerializeToUtf8Bytes(submission, Json), cancellationToken);

    /// <summary>The submission stored under <paramref name="hash"/> (hex, with or without 0x); null when there is none.</summary>
    public async Task<JobSubmission?> GetAsync(string hash, CancellationToken cancellationToken = default)
    {
        var bytes = await content.GetAsync(JobReplay.Hex(hash)!, cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : JsonSerializer.Deserialize<JobSubmission>(bytes, Json);
    }
}
