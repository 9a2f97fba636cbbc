using Refit;

namespace Depin.Contracts.Marketplace;

/// <summary>
/// The marketplace REST API as a Refit client (register with AddRefitGeneratedClient / RestService.ForGenerated).
/// Every call but registration needs the <c>X-Api-Key</c> header: set it on the HttpClient.
/// </summary>
public interface IMarketplaceApi
{
    [Post("/api/providers")]
    Task<ProviderRegistration> RegisterProviderAsync([Body] RegisterProviderRequest request, CancellationToken cancellationToken = default);

    [Get("/api/providers/me")]
    Task<ProviderView> GetProviderAsync(CancellationToken cancellationToken = default);

    [Post("/api/providers/me/stake")]
    Task<ProviderView> StakeAsync([Body] StakeRequest request, CancellationToken cancellationToken = default);

    [Post("/api/providers/me/unstake")]
    Task<ProviderView> UnstakeAsync([Body] StakeRequest request, CancellationToken cancellationToken = default);

    [Post("/api/providers/me/unstake/complete")]
    Task<ProviderView> CompleteUnstakeAsync(CancellationToken cancellationToken = default);

    [Post("/api/workers")]
    Task<WorkerView> RegisterWorkerAsync([Body] RegisterWorkerRequest request, CancellationToken cancellationToken = default);

    [Get("/api/workers/{workerId}")]
    Task<WorkerView> GetWorkerAsync(string workerId, CancellationToken cancellationToken = default);

    [Post("/api/workers/{workerId}/heartbeat")]
    Task<HeartbeatResponse> HeartbeatAsync(string workerId, [Body] HeartbeatRequest request, CancellationToken cancellationToken = default);

    /// <summary>Long-polls for work; 204 (null content) when none arrived in time.</summary>
    [Post("/api/workers/{workerId}/lease")]
    Task<IApiResponse<LeaseView>> LeaseAsync(string workerId, [Body] LeaseRequest request, CancellationToken cancellationToken = default);

    /// <summary>Long-polls for work and takes up to <see cref="LeaseRequest.MaxJobs"/> jobs; 204 (null content) when none arrived in time.</summary>
    [Post("/api/workers/{workerId}/leases")]
    Task<IApiResponse<LeaseBatchView>> LeaseManyAsync(string workerId, [Body] LeaseRequest request, CancellationToken cancellationToken = default);

    [Post("/api/workers/{workerId}/jobs/{jobId}/result")]
    Task<ResultVerdict> SubmitResultAsync(string workerId, string jobId, [Body] SubmitResultRequest request, CancellationToken cancellationToken = default);

    /// <summary>Uploads several results at once; each job's outcome is in the answer, in request order.</summary>
    [Post("/api/workers/{workerId}/results")]
    Task<ResultBatchVerdict> SubmitResultsAsync(string workerId, [Body] SubmitResultsRequest request, CancellationToken cancellationToken = default);

    [Post("/api/workers/{workerId}/jobs/{jobId}/release")]
    Task ReleaseLeaseAsync(string workerId, string jobId, [Body] ReleaseLeaseRequest request, CancellationToken cancellationToken = default);

    [Post("/api/customers")]
    Task<CustomerRegistration> RegisterCustomerAsync([Body] RegisterCustomerRequest request, CancellationToken cancellationToken = default);

    [Get("/api/customers/me")]
    Task<CustomerView> GetCustomerAsync(CancellationToken cancellationToken = default);

    [Post("/api/customers/me/fund")]
    Task<BalanceView> FundAsync([Body] FundRequest request, CancellationToken cancellationToken = default);

    [Post("/api/customers/me/wallet")]
    Task<CustomerView> BindWalletAsync([Body] BindWalletRequest request, CancellationToken cancellationToken = default);

    [Post("/api/withdrawals")]
    Task<Rewards.WithdrawalDto> WithdrawAsync([Body] WithdrawRequest request, CancellationToken cancellationToken = default);

    [Get("/api/withdrawals/{id}")]
    Task<Rewards.WithdrawalDto> GetWithdrawalAsync(string id, CancellationToken cancellationToken = default);

    [Post("/api/jobs")]
    Task<JobView> SubmitJobAsync([Body] SubmitJobRequest request, CancellationToken cancellationToken = default);

    [Get("/api/jobs")]
    Task<JobList> ListJobsAsync(CancellationToken cancellationToken = default);

    [Get("/api/jobs")]
    Task<JobList> ListJobsAsync(int? limit, int? before, CancellationToken cancellationToken = default);

    [Get("/api/jobs/{jobId}")]
    Task<JobView> GetJobAsync(string jobId, CancellationToken cancellationToken = default);

    [Post("/api/jobs/{jobId}/cancel")]
    Task<JobView> CancelJobAsync(string jobId, CancellationToken cancellationToken = default);

    [Get("/api/jobs/{jobId}/result")]
    Task<HttpResponseMessage> GetResultAsync(string jobId, CancellationToken cancellationToken = default);

    [Post("/api/admin/deposits")]
    Task<BalanceView> AdminDepositAsync([Body] AdminDepositRequest request, CancellationToken cancellationToken = default);
}
