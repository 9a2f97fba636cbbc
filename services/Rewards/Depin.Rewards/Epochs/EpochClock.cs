namespace Depin.Rewards.Epochs;

/// <summary>Epoch n covers [Genesis + n·Length, Genesis + (n+1)·Length).</summary>
public sealed class EpochClock
{
    public EpochClock(DateTimeOffset genesis, TimeSpan length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(length, TimeSpan.Zero);
        Genesis = genesis;
        Length = length;
    }

    public DateTimeOffset Genesis { get; }

    public TimeSpan Length { get; }

    /// <summary>The epoch containing <paramref name="time"/>; -1 before genesis.</summary>
    public long EpochAt(DateTimeOffset time) =>
        time < Genesis ? -1 : (time - Genesis).Ticks / Length.Ticks;

    public EpochWindow Window(long epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        DateTimeOffset start = Genesis + TimeSpan.FromTicks(Length.Ticks * epoch);
        return new EpochWindow(epoch, start, start + Length);
    }

    /// <summary>The last epoch whose window has ended at <paramref name="now"/>; -1 when none has.</summary>
    public long LastEndedEpoch(DateTimeOffset now) => EpochAt(now) - 1;

    /// <summary><paramref name="time"/> rounded down to a multiple of <paramref name="length"/> since the Unix epoch (a tidy genesis).</summary>
    public static DateTimeOffset AlignDown(DateTimeOffset time, TimeSpan length)
    {
        long ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(ticks - ticks % length.Ticks);
    }
}
