namespace Depin.Ledger.Tests.Jobs;

/// <summary>A wall clock the test moves (block timestamps follow it).</summary>
internal sealed class Clock(long unixMs) : TimeProvider
{
    public long Now { get; private set; } = unixMs;

    public void Advance(long ms) => Now += ms;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Now);
}
