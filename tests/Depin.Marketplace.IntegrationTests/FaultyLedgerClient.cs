using Depin.Contracts.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace Depin.Marketplace.IntegrationTests;

/// <summary>The real ledger client, except that the submissions <c>fails</c> picks throw as if the ledger were unreachable.</summary>
internal sealed class FaultyLedgerClient(ILedgerClient inner, Func<IReadOnlyList<LedgerTransactionDto>, bool> fails) : ILedgerClient
{
    public Task<IReadOnlyList<ReceiptDto>> SubmitAsync(IReadOnlyList<LedgerTransactionDto> transactions, CancellationToken cancellationToken = default) =>
        fails(transactions)
            ? Task.FromException<IReadOnlyList<ReceiptDto>>(new HttpRequestException("the ledger is unreachable (injected by the test)"))
            : inner.SubmitAsync(transactions, cancellationToken);

    public Task<AccountDto> GetAccountAsync(string address, CancellationToken cancellationToken = default) => inner.GetAccountAsync(address, cancellationToken);

    public Task<ReceiptDto?> GetReceiptAsync(string id, CancellationToken cancellationToken = default) => inner.GetReceiptAsync(id, cancellationToken);
}

/// <summary>Wraps a service the marketplace registered, for a test fixture's service hook.</summary>
internal static class ServiceDecoration
{
    /// <summary>Replaces the last registration of <typeparamref name="TService"/> (a factory) with <paramref name="wrap"/> around what it made.</summary>
    public static void Decorate<TService>(this IServiceCollection services, Func<TService, TService> wrap)
        where TService : class
    {
        var inner = services.Last(d => d.ServiceType == typeof(TService));
        services.Remove(inner);
        services.AddSingleton(sp => wrap((TService)inner.ImplementationFactory!(sp)));
    }
}
