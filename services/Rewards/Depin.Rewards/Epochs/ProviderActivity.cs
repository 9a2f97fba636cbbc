using Depin.Chain;

namespace Depin.Rewards.Epochs;

/// <summary>
/// What one provider did in an epoch window. Availability weight = <see cref="UptimeSeconds"/> × <see cref="CapabilityScore"/>;
/// work weight = <see cref="VerifiedWorkUnits"/>, forfeited when <see cref="FailedVerifications"/> &gt; 0.
/// Negative values count as zero; values above 2^40 are clamped to 2^40.
/// </summary>
/// <param name="PayoutAddress">The provider's wallet: ledger account credited and Merkle leaf account.</param>
/// <param name="UptimeSeconds">Seconds its workers were online in the window (summed over workers).</param>
/// <param name="CapabilityScore">Benchmarked capability, uptime-weighted over its workers (higher is faster).</param>
/// <param name="VerifiedWorkUnits">Work units whose results passed verification and settled in the window.</param>
/// <param name="FailedVerifications">Results that failed verification in the window.</param>
public readonly record struct ProviderActivity(
    Address PayoutAddress,
    long UptimeSeconds,
    long CapabilityScore,
    long VerifiedWorkUnits,
    int FailedVerifications)
{
    /// <summary>Upper bound applied to every input, so sums over 2^30 providers stay inside 128 bits.</summary>
    public const long MaxInput = 1L << 40;

    public UInt128 AvailabilityWeight => (UInt128)(ulong)Clamp(UptimeSeconds) * (ulong)Clamp(CapabilityScore);

    /// <summary>Work weight; zero for a provider caught cheating in the window.</summary>
    public UInt128 WorkWeight => FailedVerifications > 0 ? UInt128.Zero : (ulong)Clamp(VerifiedWorkUnits);

    internal static long Clamp(long value) => Math.Clamp(value, 0, MaxInput);
}
