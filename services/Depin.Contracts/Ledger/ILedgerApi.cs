using Refit;

namespace Depin.Contracts.Ledger;

/// <summary>The ledger's REST API as a Refit client (register with AddRefitGeneratedClient / RestService.ForGenerated).</summary>
public interface ILedgerApi
{
    [Post("/api/ledger/transactions")]
    Task<SubmitTransactionsResponse> SubmitAsync([Body] SubmitTransactionsRequest request, CancellationToken cancellationToken = default);

    [Get("/api/ledger/transactions/{id}")]
    Task<ReceiptDto> GetReceiptAsync(string id, CancellationToken cancellationToken = default);

    [Get("/api/ledger/accounts/{address}")]
    Task<AccountDto> GetAccountAsync(string address, CancellationToken cancellationToken = default);

    [Get("/api/ledger/accounts/{address}/proof")]
    Task<AccountProofDto> GetProofAsync(string address, CancellationToken cancellationToken = default);

    [Get("/api/ledger/jobs/open")]
    Task<OpenJobsDto> GetOpenJobsAsync(int limit, CancellationToken cancellationToken = default);

    [Get("/api/ledger/jobs/{job}/history")]
    Task<IApiResponse<JobHistoryDto>> GetJobHistoryAsync(string job, CancellationToken cancellationToken = default);

    [Get("/api/ledger/jobs/finished")]
    Task<FinishedJobsDto> GetFinishedJobsAsync([Query(Format = "O")] DateTimeOffset from, [Query(Format = "O")] DateTimeOffset to, int? offset, int? limit, CancellationToken cancellationToken = default);

    [Get("/api/ledger/jobs")]
    Task<JobPageDto> GetJobsAsync(string? customer, string? provider, int? limit, int? before, CancellationToken cancellationToken = default);

    [Get("/api/ledger/jobs/{job}")]
    Task<JobRecordDto> GetJobAsync(string job, CancellationToken cancellationToken = default);

    [Get("/api/ledger/jobs/{job}/proof")]
    Task<JobProofDto> GetJobProofAsync(string job, CancellationToken cancellationToken = default);

    [Get("/api/ledger/blocks/{height}")]
    Task<BlockDto> GetBlockAsync(long height, CancellationToken cancellationToken = default);

    [Get("/api/ledger/supply")]
    Task<LedgerSupplyDto> GetSupplyAsync(CancellationToken cancellationToken = default);

    [Get("/api/ledger/blocks/latest")]
    Task<BlockDto> GetLatestBlockAsync(CancellationToken cancellationToken = default);
}
