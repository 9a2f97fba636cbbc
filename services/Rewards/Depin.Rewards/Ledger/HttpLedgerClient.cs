using System.Net;
using Depin.Contracts.Ledger;
using Refit;

namespace Depin.Rewards.Ledger;

/// <summary><see cref="ILedgerClient"/> over a standalone ledger service's REST API (<c>Rewards:LedgerUrl</c>).</summary>
public sealed class HttpLedgerClient(ILedgerApi api) : ILedgerClient
{
    public async Task<IReadOnlyList<ReceiptDto>> SubmitAsync(IReadOnlyList<LedgerTransactionDto> transactions, CancellationToken cancellationToken = default) =>
        (await api.SubmitAsync(new SubmitTransactionsRequest(transactions), cancellationToken).ConfigureAwait(false)).Receipts;

    public Task<AccountDto> GetAccountAsync(string address, CancellationToken cancellationToken = default) =>
        api.GetAccountAsync(address, cancellationToken);

    public async Task<ReceiptDto?> GetReceiptAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await api.GetReceiptAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
