namespace Depin.Rewards.Emission;

/// <summary>
/// Micro-credits emitted per epoch: <see cref="InitialPerEpoch"/> for epochs [0, N), half of it for [N, 2N), and so on
/// (integer halving, so an odd amount loses its last unit at each halving; after 63 halvings nothing is emitted).
/// </summary>
public readonly record struct EmissionSchedule
{
    public EmissionSchedule(long initialPerEpoch, long halvingIntervalEpochs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialPerEpoch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(halvingIntervalEpochs);
        InitialPerEpoch = initialPerEpoch;
        HalvingIntervalEpochs = halvingIntervalEpochs;
    }

    /// <summary>Emission of epochs 0 .. N-1, in micro-credits.</summary>
    public long InitialPerEpoch { get; }

    /// <summary>N: the emission halves every N epochs.</summary>
    public long HalvingIntervalEpochs { get; }

    /// <summary>How many halvings apply to <paramref name="epoch"/>.</summary>
    public long HalvingsAt(long epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return epoch / HalvingIntervalEpochs;
    }

    /// <summary>The emission of <paramref name="epoch"/> in micro-credits: InitialPerEpoch >> (epoch / N).</summary>
    public long AmountFor(long epoch)
    {
        long halvings = HalvingsAt(epoch);
        return halvings >= 63 ? 0 : InitialPerEpoch >> (int)halvings;
    }

    /// <summary>Total emitted by epochs 0 .. <paramref name="epoch"/> inclusive (saturating at long.MaxValue).</summary>
    public long CumulativeThrough(long epoch)
    {
        Int128 total = 0;
        long done = 0;
        while (done <= epoch)
        {
            long amount = AmountFor(done);
            if (amount == 0)
            {
                break;
            }

            long periodEnd = (done / HalvingIntervalEpochs + 1) * HalvingIntervalEpochs - 1;
            long last = Math.Min(periodEnd, epoch);
            total += (Int128)amount * (last - done + 1);
            if (total >= long.MaxValue)
            {
                return long.MaxValue;
            }

            done = last + 1;
        }

        return (long)total;
    }
}
