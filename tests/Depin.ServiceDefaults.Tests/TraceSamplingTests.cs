using System.Diagnostics;
using Depin.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;

namespace Depin.ServiceDefaults.Tests;

/// <summary>
/// Where a trace starts, a service keeps at most its ratio and its traces per second; later spans follow their parent.
/// Alone: another test's tracer provider or listener on the same source would record what this one's sampler drops.
/// </summary>
[Collection(Name)]
public sealed class TraceSamplingTests
{
    public const string Name = "trace sampling";

    private static bool Kept(Sampler sampler) =>
        sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), "root", ActivityKind.Server)).Decision == SamplingDecision.RecordAndSample;

    private static int KeptOf(Sampler sampler, int roots) => Enumerable.Range(0, roots).Count(_ => Kept(sampler));

    [Fact]
    public void A_service_keeps_two_seconds_of_traces_in_a_burst_then_its_rate()
    {
        var time = new FakeTimeProvider();
        var sampler = new RootTraceSampler(ratio: 1, perSecond: 3, time);

        int burst = KeptOf(sampler, 20);
        time.Advance(TimeSpan.FromSeconds(1));
        int afterOneSecond = KeptOf(sampler, 20);
        time.Advance(TimeSpan.FromMilliseconds(100));
        int afterATenth = KeptOf(sampler, 20);
        time.Advance(TimeSpan.FromMinutes(1));
        int afterQuiet = KeptOf(sampler, 20);

        Assert.Equal((6, 3, 0, 6), (burst, afterOneSecond, afterATenth, afterQuiet));
    }

    [Fact]
    public void The_ratio_applies_before_the_rate_and_zero_per_second_is_no_limit()
    {
        Assert.Equal(10_000, KeptOf(new RootTraceSampler(ratio: 1, perSecond: 0), 10_000));
        Assert.Equal(0, KeptOf(new RootTraceSampler(ratio: 0, perSecond: 0), 10_000));
        Assert.InRange(KeptOf(new RootTraceSampler(ratio: 0.25, perSecond: 0), 10_000), 2_200, 2_800);
        Assert.Equal(0, KeptOf(new RootTraceSampler(ratio: 0, perSecond: 3, new FakeTimeProvider()), 20));
        Assert.Equal(6, KeptOf(new RootTraceSampler(ratio: 0.5, perSecond: 3, new FakeTimeProvider()), 1_000));
    }

    [Theory]
    [InlineData(-0.1, 1)]
    [InlineData(1.1, 1)]
    [InlineData(1, -1)]
    public void Out_of_range_settings_are_refused(double ratio, double perSecond) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RootTraceSampler(ratio, perSecond));

    [Fact]
    public async Task A_host_with_the_service_defaults_keeps_whole_traces_up_to_its_rate_whatever_the_standard_sampler_variable_says()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_TRACES_SAMPLER"] = "always_on",
            [ServiceDefaultsExtensions.TracesPerSecondSetting] = "2",
        });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        await host.StartAsync();
        _ = host.Services.GetRequiredService<TracerProvider>();
        using var source = new ActivitySource("Depin.Worker");

        var roots = new List<(bool Root, bool Child)>();
        for (int i = 0; i < 10; i++)
        {
            using Activity? root = source.StartActivity("root");
            using Activity? child = source.StartActivity("child");
            roots.Add((root?.Recorded ?? false, child?.Recorded ?? false));
        }

        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        using Activity? continued = source.StartActivity("from a sampled caller", ActivityKind.Server, remote);
        await host.StopAsync();

        Assert.InRange(roots.Count(r => r.Root), 4, 5);
        Assert.All(roots, r => Assert.Equal(r.Root, r.Child));
        Assert.True(continued?.Recorded);
    }

    [Theory]
    [InlineData(ServiceDefaultsExtensions.TraceSamplingSetting, "2")]
    [InlineData(ServiceDefaultsExtensions.TracesPerSecondSetting, "many")]
    public void A_setting_out_of_range_stops_the_host_with_a_clear_error(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() =>
        {
            builder.AddServiceDefaults();
            using var host = builder.Build();
            _ = host.Services.GetRequiredService<TracerProvider>();
        });

        Assert.Contains($"{key} must be a number from 0 to", error.ToString(), StringComparison.Ordinal);
    }
}

[CollectionDefinition(TraceSamplingTests.Name, DisableParallelization = true)]
public sealed class TraceSamplingCollection;
