namespace Depin.Contracts.Ledger;

/// <summary>
/// What other services need from the ledger. In the all-in-one host this is served in process; standalone
/// services use the Refit <see cref="ILedgerApi"/> over HTTP. Submit returns once the transactions are durably committed.
/// </summary>
public interface ILedgerClient
{
    Task<IReadOnlyList<ReceiptDto>> SubmitAsync(IReadOnlyList<LedgerTransactionDto> transactions, CancellationToken cancellationToken = default);

    Task<AccountDto> GetAccountAsync(string address, CancellationToken cancellationToken = default);

    Task<ReceiptDto?> GetReceiptAsync(string id, CancellationToken cancellationToken = default);
}
