namespace Depin.Contracts.Rewards;

/// <summary>
/// How the marketplace hands its callers' withdrawals to the bridge (the rewards service): over HTTP with the admin key, or
/// in process in the single-process host. A refusal by the ledger comes back as a withdrawal with status "refused"; an id
/// already used for other terms is an <see cref="ArgumentException"/>.
/// </summary>
public interface IWithdrawalRequests
{
    Task<WithdrawalDto> RequestAsync(WithdrawalRequestDto request, CancellationToken cancellationToken = default);

    Task<WithdrawalDto?> GetAsync(string id, CancellationToken cancellationToken = default);
}
