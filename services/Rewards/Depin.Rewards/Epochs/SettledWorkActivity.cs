using Depin.Chain;

namespace Depin.Rewards.Epochs;

/// <summary>
/// The epoch's inputs with work as the ledger settled it: uptime and verification failures from the events the marketplace
/// publishes (<see cref="EpochActivityRecorder"/>), work units from <see cref="ISettledWorkSource"/>.
/// </summary>
public sealed class SettledWorkActivity(EpochActivityRecorder events, ISettledWorkSource settled) : IEpochActivitySource
{
    public async Task<IReadOnlyList<ProviderActivity>> GetActivityAsync(EpochWindow window, CancellationToken cancellationToken = default)
    {
        var work = await settled.GetSettledUnitsAsync(window, cancellationToken).ConfigureAwait(false);
        var byProvider = new Dictionary<Address, ProviderActivity>();
        foreach (var activity in await events.GetActivityAsync(window, cancellationToken).ConfigureAwait(false))
        {
            byProvider[activity.PayoutAddress] = activity with { VerifiedWorkUnits = 0 };
        }

        foreach (var (provider, units) in work)
        {
            var address = Address.Parse(provider);
            byProvider[address] = byProvider.TryGetValue(address, out var known)
                ? known with { VerifiedWorkUnits = units }
                : new ProviderActivity(address, 0, 0, units, 0);
        }

        return [.. byProvider.Values];
    }
}
