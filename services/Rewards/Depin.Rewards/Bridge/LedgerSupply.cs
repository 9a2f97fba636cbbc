using Depin.Contracts.Ledger;
using Depin.Ledger.Node;

namespace Depin.Rewards.Bridge;

/// <summary>Every credit on the ledger (micro-credits) and the bridge account's part, at a height.</summary>
public readonly record struct LedgerSupply(long Height, Int128 Total, long Bridge);

/// <summary>Reads <see cref="LedgerSupply"/>: from the ledger node in process, or from a ledger service over REST.</summary>
public interface ILedgerSupplySource
{
    Task<LedgerSupply> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary><see cref="ILedgerSupplySource"/> of an in-process ledger node.</summary>
public sealed class LedgerNodeSupply(LedgerNode node) : ILedgerSupplySource
{
    public Task<LedgerSupply> GetAsync(CancellationToken cancellationToken = default)
    {
        var (total, bridge, height) = node.GetSupply();
        return Task.FromResult(new LedgerSupply(height, total, bridge));
    }
}

/// <summary><see cref="ILedgerSupplySource"/> of a ledger service (GET /api/ledger/supply with the rewards credential).</summary>
public sealed class LedgerApiSupply(ILedgerApi api) : ILedgerSupplySource
{
    public async Task<LedgerSupply> GetAsync(CancellationToken cancellationToken = default)
    {
        LedgerSupplyDto supply = await api.GetSupplyAsync(cancellationToken).ConfigureAwait(false);
        return new LedgerSupply(supply.Height, Int128.Parse(supply.Total, System.Globalization.CultureInfo.InvariantCulture), supply.Bridge);
    }
}
