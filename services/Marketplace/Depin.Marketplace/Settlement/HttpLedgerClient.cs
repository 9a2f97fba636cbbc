using Depin.Contracts.Ledger;
using Refit;

namespace Depin.Marketplace.Settlement;

/// <summary><see cref="ILedgerClient"/> over the ledger service's REST API, for a marketplace that runs without an in-process ledger.</summary>
public sealed class HttpLedgerClient(ILedgerApi api) : ILedgerClient, ILedgerJobs
{
    private readonly LedgerSubmissionBatcher _submissions = new(api);

    public async Task<IReadOnlyList<string>> GetOpenJobsAsync(int limit, CancellationToken cancellationToken = default) =>
        (await api.GetOpenJobsAsync(limit, cancellationToken)).Jobs;

    public async Task<JobRecordDto?> GetJobAsync(string job, CancellationToken cancellationToken = default)
    {
        try
        {
            return await api.GetJobAsync(job, cancellationToken);
        }
        catch (ApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Null for a job the ledger never saw (every new job's grain asks once), without an exception per new job.</summary>
    public async Task<JobHistoryDto?> GetJobHistoryAsync(string job, CancellationToken cancellationToken = default)
    {
        using var response = await api.GetJobHistoryAsync(job, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        return response.IsSuccessful ? response.Content : throw response.Error!;
    }

    public Task<JobPageDto> GetJobsAsync(string account, bool provider, int limit, int? before, CancellationToken cancellationToken = default) =>
        api.GetJobsAsync(provider ? null : account, provider ? account : null, limit, before, cancellationToken);

    /// <summary>Submitted together with whatever else this process submits at the same moment (<see cref="LedgerSubmissionBatcher"/>).</summary>
    public Task<IReadOnlyList<ReceiptDto>> SubmitAsync(IReadOnlyList<LedgerTransactionDto> transactions, CancellationToken cancellationToken = default) =>
        _submissions.SubmitAsync(transactions, cancellationToken);

    public Task<AccountDto> GetAccountAsync(string address, CancellationToken cancellationToken = default) =>
        api.GetAccountAsync(address, cancellationToken);

    public async Task<ReceiptDto?> GetReceiptAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await api.GetReceiptAsync(id, cancellationToken);
        }
        catch (ApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
