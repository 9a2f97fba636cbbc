namespace Depin.Rewards.Epochs;

/// <summary>Epoch <paramref name="Epoch"/> covers [<paramref name="Start"/>, <paramref name="End"/>).</summary>
public readonly record struct EpochWindow(long Epoch, DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Length => End - Start;

    public bool Contains(DateTimeOffset time) => time >= Start && time < End;
}
