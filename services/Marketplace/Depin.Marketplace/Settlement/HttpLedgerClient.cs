using Depin.Contracts.Ledger;
using Refit;

namespace Depin.Marketplace.Settlement;

/// <summary><see cref="ILedgerClient"/> over the ledger service's REST API, for a marketplace that runs without an in-process ledger.</summary>
public sealed class HttpLedgerClient(ILedgerApi api) : ILedgerClient, ILedgerJobs
{
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

    public async Task<JobHistoryDto?> GetJobHistoryAsync(string job, CancellationToken cancellationToken = default)
    {
        try
        {
            return await api.GetJobHistoryAsync(job, cancellationToken);
        }
        catch (ApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<JobPageDto> GetJobsAsync(string account, bool provider, int limit, int? before, CancellationToken cancellationToken = default) =>
        api.GetJobsAsync(provider ? null : account, provider ? account : null, limit, before, cancellationToken);

    public async Task<IReadOnlyList<ReceiptDto>> SubmitAsync(IReadOnlyList<LedgerTransactionDto> transactions, CancellationToken cancellationToken = default) =>
        (await api.SubmitAsync(new SubmitTransactionsRequest(transactions), cancellationToken)).Receipts;

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
