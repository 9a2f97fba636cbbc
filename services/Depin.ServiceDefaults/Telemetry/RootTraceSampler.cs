using OpenTelemetry.Trace;

namespace Depin.ServiceDefaults.Telemetry;

/// <summary>
/// Decides for traces that start in this process: keeps one when its trace id falls within <c>ratio</c> and the process
/// has kept fewer than <c>perSecond</c> new traces a second (a token bucket holding two seconds' worth, so a burst after
/// a quiet spell is kept whole). Wrapped in <see cref="ParentBasedSampler"/>, every later span of a trace follows the
/// decision made at its root, so a job is traced whole or not at all. <c>perSecond</c> of 0 keeps every trace the ratio
/// keeps.
/// </summary>
public sealed class RootTraceSampler : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    private readonly TraceIdRatioBasedSampler _ratio;
    private readonly double _perSecond;
    private readonly double _capacity;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _refilledAt;

    public RootTraceSampler(double ratio, double perSecond, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ratio, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ratio, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(perSecond);
        _ratio = new TraceIdRatioBasedSampler(ratio);
        _perSecond = perSecond;
        _capacity = Math.Max(1, 2 * perSecond);
        _time = time ?? TimeProvider.System;
        _tokens = _capacity;
        _refilledAt = _time.GetTimestamp();
        Description = $"RootTraceSampler{{ratio={ratio}, perSecond={perSecond}}}";
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (_ratio.ShouldSample(samplingParameters).Decision == SamplingDecision.Drop)
        {
            return Drop;
        }

        return _perSecond == 0 || TryTake() ? Keep : Drop;
    }

    private bool TryTake()
    {
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond));
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
