namespace Depin.Contracts.Ledger;

/// <summary>Reads job records from the ledger (in process, or over REST with a credential).</summary>
public interface ILedgerJobs
{
    /// <summary>The job's record at the latest height, or null when the ledger has none.</summary>
    Task<JobRecordDto?> GetJobAsync(string job, CancellationToken cancellationToken = default);

    /// <summary>Ids of jobs whose record is not final (queued, leased, completed), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> GetOpenJobsAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Every transaction of the job with its receipt, and its record; null when the ledger never saw the job.</summary>
    Task<JobHistoryDto?> GetJobHistoryAsync(string job, CancellationToken cancellationToken = default);

    /// <summary>The jobs an account submitted (or, with <paramref name="provider"/>, leased), newest first.</summary>
    Task<JobPageDto> GetJobsAsync(string account, bool provider, int limit, int? before, CancellationToken cancellationToken = default);
}
