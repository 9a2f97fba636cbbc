using System.Collections.Concurrent;
using Depin.Chain;
using Depin.Contracts.Events;

namespace Depin.Rewards.Epochs;

/// <summary>
/// In-memory <see cref="IEpochActivitySource"/> that the marketplace feeds as things happen; each record lands in the
/// epoch containing its timestamp (now by default). Thread-safe. Keeps <see cref="RetainedEpochs"/> epochs behind the
/// current one; it is process memory, so a restart loses the open epoch's activity (a durable source should implement the interface instead).
/// </summary>
public sealed class EpochActivityRecorder(EpochClock clock, TimeProvider time) : IEpochActivitySource
{
    /// <summary>Epochs kept behind the current one, so a late close still finds its inputs.</summary>
    public const int RetainedEpochs = 48;

    private readonly ConcurrentDictionary<long, Bucket> _epochs = new();

    /// <summary><paramref name="seconds"/> of a worker online at <paramref name="capabilityScore"/> (its benchmark), for the provider paid at <paramref name="payoutAddress"/>.</summary>
    public void RecordUptime(Address payoutAddress, long seconds, long capabilityScore, DateTimeOffset? at = null)
    {
        if (seconds <= 0 || capabilityScore <= 0)
        {
            return;
        }

        Accumulator acc = For(payoutAddress, at);
        long s = ProviderActivity.Clamp(seconds);
        UInt128 weighted = (UInt128)(ulong)s * (ulong)ProviderActivity.Clamp(capabilityScore);
        lock (acc)
        {
            acc.Uptime += s;
            acc.WeightedCapability += weighted;
        }
    }

    /// <summary>Work units whose result passed verification and settled.</summary>
    public void RecordVerifiedWork(Address payoutAddress, long units, DateTimeOffset? at = null)
    {
        if (units <= 0)
        {
            return;
        }

        Accumulator acc = For(payoutAddress, at);
        lock (acc)
        {
            acc.Work = Math.Min(acc.Work + ProviderActivity.Clamp(units), ProviderActivity.MaxInput);
        }
    }

    /// <summary>
    /// The work of a marketplace <see cref="JobVerifiedEvent"/>, in the epoch of its time; a redelivered event (same
    /// event id) counts once.
    /// </summary>
    public void RecordVerifiedWork(JobVerifiedEvent verified)
    {
        ArgumentNullException.ThrowIfNull(verified);
        if (verified.WorkUnits <= 0 || !Address.TryParse(verified.ProviderAddress, out Address provider))
        {
            return;
        }

        Bucket bucket = BucketFor(verified.At);
        if (bucket.SeenEvents.TryAdd(verified.EventId, 0))
        {
            RecordVerifiedWork(provider, verified.WorkUnits, verified.At);
        }
    }

    /// <summary>A result that failed verification: the provider forfeits this epoch's work pool share.</summary>
    public void RecordFailedVerification(Address payoutAddress, DateTimeOffset? at = null)
    {
        Accumulator acc = For(payoutAddress, at);
        lock (acc)
        {
            acc.Failed++;
        }
    }

    public void RecordUptime(string payoutAddress, long seconds, long capabilityScore, DateTimeOffset? at = null) =>
        RecordUptime(Address.Parse(payoutAddress), seconds, capabilityScore, at);

    public void RecordVerifiedWork(string payoutAddress, long units, DateTimeOffset? at = null) =>
        RecordVerifiedWork(Address.Parse(payoutAddress), units, at);

    public void RecordFailedVerification(string payoutAddress, DateTimeOffset? at = null) =>
        RecordFailedVerification(Address.Parse(payoutAddress), at);

    public Task<IReadOnlyList<ProviderActivity>> GetActivityAsync(EpochWindow window, CancellationToken cancellationToken = default)
    {
        if (!_epochs.TryGetValue(window.Epoch, out Bucket? bucket))
        {
            return Task.FromResult<IReadOnlyList<ProviderActivity>>([]);
        }

        ConcurrentDictionary<Address, Accumulator> providers = bucket.Providers;

        var result = new List<ProviderActivity>(providers.Count);
        foreach ((Address address, Accumulator acc) in providers)
        {
            lock (acc)
            {
                long capability = acc.Uptime == 0 ? 0 : (long)(acc.WeightedCapability / (ulong)acc.Uptime);
                result.Add(new ProviderActivity(address, Math.Min(acc.Uptime, ProviderActivity.MaxInput), capability, acc.Work, acc.Failed));
            }
        }

        return Task.FromResult<IReadOnlyList<ProviderActivity>>(result);
    }

    private Accumulator For(Address payoutAddress, DateTimeOffset? at) =>
        BucketFor(at).Providers.GetOrAdd(payoutAddress, static _ => new Accumulator());

    private Bucket BucketFor(DateTimeOffset? at)
    {
        long epoch = Math.Max(0, clock.EpochAt(at ?? time.GetUtcNow()));
        return _epochs.GetOrAdd(epoch, static (e, self) =>
        {
            self.Prune(e);
            return new Bucket();
        }, this);
    }

    private void Prune(long newest)
    {
        foreach (long epoch in _epochs.Keys)
        {
            if (epoch < newest - RetainedEpochs)
            {
                _epochs.TryRemove(epoch, out _);
            }
        }
    }

    private sealed class Bucket
    {
        public ConcurrentDictionary<Address, Accumulator> Providers { get; } = new();

        public ConcurrentDictionary<string, byte> SeenEvents { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Accumulator
    {
        public long Uptime;
        public UInt128 WeightedCapability;
        public long Work;
        public int Failed;
    }
}
