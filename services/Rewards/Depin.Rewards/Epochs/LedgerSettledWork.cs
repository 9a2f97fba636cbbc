using Depin.Contracts.Ledger;

namespace Depin.Rewards.Epochs;

/// <summary>
/// <see cref="ISettledWorkSource"/> read from the ledger's finished-jobs index: every job whose settlement (job-settle)
/// committed at a block time inside the window, with the work units it was submitted with and the provider that held its
/// lease. The ledger is the record of what was paid, so rewards counts exactly that, whatever events were lost or late.
/// </summary>
public sealed class LedgerSettledWork(Func<DateTimeOffset, DateTimeOffset, int, CancellationToken, Task<FinishedJobsDto>> page) : ISettledWorkSource
{
    public const int PageSize = 5_000;

    public LedgerSettledWork(ILedgerApi api)
        : this((from, to, offset, ct) => api.GetFinishedJobsAsync(from, to, offset, PageSize, ct))
    {
    }

    public async Task<IReadOnlyDictionary<string, long>> GetSettledUnitsAsync(EpochWindow window, CancellationToken cancellationToken = default)
    {
        var units = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        int? offset = 0;
        var first = true;
        while (offset is { } at)
        {
            var result = await page(window.Start, window.End, at, cancellationToken).ConfigureAwait(false);
            if (first && result.CompleteBefore < window.End)
            {
                throw new SettledWorkNotFinalException(window, result.CompleteBefore);
            }

            first = false;
            foreach (var job in result.Jobs)
            {
                if (job.Status == "settled" && job.Provider is { } provider && job.WorkUnits > 0)
                {
                    units[provider] = checked(units.GetValueOrDefault(provider) + job.WorkUnits);
                }
            }

            offset = result.Next;
        }

        return units;
    }
}
