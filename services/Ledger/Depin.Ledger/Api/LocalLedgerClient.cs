using Depin.Contracts.Ledger;
using Depin.Ledger.Accounts;
using Depin.Ledger.Node;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Api;

/// <summary>The in-process <see cref="ILedgerClient"/>: same validation as REST, straight into the node.</summary>
public sealed class LocalLedgerClient(LedgerNode node) : ILedgerClient, ILedgerJobs
{
    public Task<IReadOnlyList<string>> GetOpenJobsAsync(int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(node.OpenJobs(limit).Select(id => id.Value.ToString("D")).ToArray());

    public Task<JobRecordDto?> GetJobAsync(string job, CancellationToken cancellationToken = default)
    {
        if (!TxId.TryParse(job, out var id))
        {
            return Task.FromResult<JobRecordDto?>(null);
        }

        var (record, height) = node.GetJob(id);
        return Task.FromResult(record.IsEmpty ? null : record.ToDto(id, height));
    }

    public Task<JobHistoryDto?> GetJobHistoryAsync(string job, CancellationToken cancellationToken = default) =>
        Task.FromResult(TxId.TryParse(job, out var id) ? node.GetJobHistory(id).ToDto(id) : null);

    public Task<JobPageDto> GetJobsAsync(string account, bool provider, int limit, int? before, CancellationToken cancellationToken = default) =>
        Task.FromResult(node.JobsOf(AccountId.Parse(account), provider, limit, before).ToDto());

    public async Task<IReadOnlyList<ReceiptDto>> SubmitAsync(IReadOnlyList<LedgerTransactionDto> transactions, CancellationToken cancellationToken = default)
    {
        var mapped = TransactionMapping.TryMapBatch(transactions, node.Options.MaxBatchSize, out var errors)
            ?? throw new ArgumentException("Invalid ledger transactions: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")), nameof(transactions));
        var committed = node.Height;
        var receipts = await node.SubmitAsync(mapped, cancellationToken).ConfigureAwait(false);
        return receipts.Select(r => r.ToDto(committed)).ToArray();
    }

    public Task<AccountDto> GetAccountAsync(string address, CancellationToken cancellationToken = default)
    {
        var id = AccountId.Parse(address);
        var (state, height) = node.GetAccount(id);
        return Task.FromResult(state.ToDto(id, height));
    }

    public Task<ReceiptDto?> GetReceiptAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(TxId.TryParse(id, out var txId) ? node.GetReceipt(txId)?.ToDto() : null);
}
