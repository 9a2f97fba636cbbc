using Depin.Chain;
using Depin.Rewards.Epochs;

namespace Depin.Rewards.Emission;

/// <summary>
/// Pure epoch arithmetic. The emission splits into an availability pool (by uptime × capability) and a work pool
/// (by verified work units; providers with a failed verification in the epoch get none of it). Each pool is apportioned
/// by largest remainder (<see cref="LargestRemainder"/>): floors first, then the leftover units one each to the largest
/// fractional remainders, ties to the lower address, so the amounts sum exactly to the pool. A pool nobody qualifies for
/// moves to the other pool; when nobody qualifies for either, the emission is left unallocated (it stays in the reward pool).
/// </summary>
public static class EpochCalculator
{
    public static EpochAllocation Compute(long epoch, long emission, RewardSplit split, IReadOnlyList<ProviderActivity> activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentOutOfRangeException.ThrowIfNegative(emission);

        ProviderActivity[] sorted = [.. activity];
        Array.Sort(sorted, static (a, b) => a.PayoutAddress.CompareTo(b.PayoutAddress));

        // Merge duplicate addresses (a source reporting a provider twice) by summing their weights.
        var accounts = new Address[sorted.Length];
        var availability = new UInt128[sorted.Length];
        var work = new UInt128[sorted.Length];
        int n = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            ref readonly ProviderActivity a = ref sorted[i];
            if (n > 0 && accounts[n - 1] == a.PayoutAddress)
            {
                availability[n - 1] += a.AvailabilityWeight;
                work[n - 1] = a.FailedVerifications > 0 ? UInt128.Zero : work[n - 1] + a.WorkWeight;
                continue;
            }

            accounts[n] = a.PayoutAddress;
            availability[n] = a.AvailabilityWeight;
            work[n] = a.WorkWeight;
            n++;
        }

        // A provider flagged in any duplicate entry forfeits the work pool entirely.
        if (n != sorted.Length)
        {
            ForfeitWorkOfCheaters(sorted, accounts.AsSpan(0, n), work.AsSpan(0, n));
        }

        (long availabilityPool, long workPool) = split.Divide(emission);
        bool anyAvailability = HasWeight(availability.AsSpan(0, n));
        bool anyWork = HasWeight(work.AsSpan(0, n));
        long unallocated = 0;
        if (!anyAvailability && !anyWork)
        {
            unallocated = emission;
            availabilityPool = 0;
            workPool = 0;
        }
        else if (!anyAvailability)
        {
            workPool += availabilityPool;
            availabilityPool = 0;
        }
        else if (!anyWork)
        {
            availabilityPool += workPool;
            workPool = 0;
        }

        var availabilityShares = new long[n];
        var workShares = new long[n];
        LargestRemainder.Apportion(availabilityPool, availability.AsSpan(0, n), availabilityShares);
        LargestRemainder.Apportion(workPool, work.AsSpan(0, n), workShares);

        var rewards = new List<ProviderReward>(n);
        for (int i = 0; i < n; i++)
        {
            if (availabilityShares[i] + workShares[i] > 0)
            {
                rewards.Add(new ProviderReward(accounts[i], availabilityShares[i], workShares[i]));
            }
        }

        return new EpochAllocation(epoch, emission, availabilityPool, workPool, unallocated, rewards);
    }

    private static bool HasWeight(ReadOnlySpan<UInt128> weights)
    {
        foreach (UInt128 w in weights)
        {
            if (w != UInt128.Zero)
            {
                return true;
            }
        }

        return false;
    }

    private static void ForfeitWorkOfCheaters(ProviderActivity[] sorted, ReadOnlySpan<Address> accounts, Span<UInt128> work)
    {
        int j = 0;
        foreach (ProviderActivity a in sorted)
        {
            while (accounts[j] != a.PayoutAddress)
            {
                j++;
            }

            if (a.FailedVerifications > 0)
            {
                work[j] = UInt128.Zero;
            }
        }
    }
}
