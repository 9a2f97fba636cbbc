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

    /// <summary>The submission as it is stored, and its hash, known before it is stored.</summary>
    public static JobSpec Encode(JobSubmission submission)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(submission, Json);
        return new JobSpec(bytes, ContentStore.HashOf(bytes));
    }

    /// <summary>Stores an encoded submission durably.</summary>
    public Task PutAsync(JobSpec spec, CancellationToken cancellationToken = default) => content.PutAsync(spec.Bytes, cancellationToken);

    /// <summary>The submission stored under <paramref name="hash"/> (hex, with or without 0x); null when there is none.</summary>
    public async Task<JobSubmission?> GetAsync(string hash, CancellationToken cancellationToken = default)
    {
        var bytes = await content.GetAsync(JobReplay.Hex(hash)!, cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : JsonSerializer.Deserialize<JobSubmission>(bytes, Json);
    }
}

/// <summary>A submission's stored bytes and their SHA-256 (hex), the parameters hash of its ledger record.</summary>
public sealed record JobSpec(byte[] Bytes, string Hash);
