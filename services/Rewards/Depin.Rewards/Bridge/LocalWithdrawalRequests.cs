using Depin.Chain;
using Depin.Contracts.Rewards;
using Depin.Rewards.Anchoring;

namespace Depin.Rewards.Bridge;

/// <summary><see cref="IWithdrawalRequests"/> in process, for a host that runs the marketplace beside the rewards service.</summary>
public sealed class LocalWithdrawalRequests(Withdrawals withdrawals, RewardsChain chain) : IWithdrawalRequests
{
    public async Task<WithdrawalDto> RequestAsync(WithdrawalRequestDto request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!withdrawals.IsEnabled)
        {
            // The same answer as the bridge over HTTP: a back end that cannot serve the request (503).
            throw new HttpRequestException("No Vault is configured (Rewards:Chain:VaultAddress): there is no way out to a chain.", null, System.Net.HttpStatusCode.ServiceUnavailable);
        }

        WithdrawalRecord record = await withdrawals.RequestAsync(
            Guid.Parse(request.Id!).ToString("D"), Address.Parse(request.LedgerAccount!), Address.Parse(request.Wallet!), request.MicroCredits, cancellationToken).ConfigureAwait(false);
        return await BridgeApi.ToDto(record, withdrawals, chain, cancellationToken).ConfigureAwait(false);
    }

    public async Task<WithdrawalDto?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await withdrawals.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } record
            ? await BridgeApi.ToDto(record, withdrawals, chain, cancellationToken).ConfigureAwait(false)
            : null;
}
