using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Depin.AppHost.IntegrationTests;

/// <summary>Platform:TraceSampling as the AppHost's model hands it to each service (built, not started).</summary>
public sealed class TraceSamplingTests : IDisposable
{
    private static readonly string[] Services = ["ledger", "rewards", "marketplace", "gateway", "workers"];
    private readonly string _data = Directory.CreateTempSubdirectory("depin-sampling-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_ratio_below_one_makes_every_service_sample_by_trace_id_after_its_parent()
    {
        var environments = await EnvironmentsAsync("Platform:TraceSampling=0.25");

        Assert.All(Services, service =>
        {
            Assert.Equal("parentbased_traceidratio", environments[service]["OTEL_TRACES_SAMPLER"]);
            Assert.Equal("0.25", environments[service]["OTEL_TRACES_SAMPLER_ARG"]);
        });
    }

    [Fact]
    public async Task By_default_every_trace_is_kept()
    {
        var environments = await EnvironmentsAsync();

        // Aspire's own default for a project is always_on.
        Assert.All(Services, service =>
        {
            Assert.Equal("always_on", environments[service].GetValueOrDefault("OTEL_TRACES_SAMPLER", "always_on"));
            Assert.False(environments[service].ContainsKey("OTEL_TRACES_SAMPLER_ARG"));
        });
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("some")]
    public async Task A_ratio_out_of_range_stops_the_AppHost_with_a_clear_error(string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => EnvironmentsAsync($"Platform:TraceSampling={value}"));

        Assert.Contains("Platform:TraceSampling must be a number from 0 to 1", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, Dictionary<string, string>>> EnvironmentsAsync(params string[] settings)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Depin_AppHost>(
            [$"Platform:DataDirectory={_data}", "Parameters:admin-key=sampling-test-key", .. settings]);
        await using var app = await builder.BuildAsync();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var execution = app.Services.GetRequiredService<DistributedApplicationExecutionContext>();
        var environments = new Dictionary<string, Dictionary<string, string>>();
        foreach (var project in model.Resources.OfType<ProjectResource>().Where(r => Services.Contains(r.Name)))
        {
            var context = new EnvironmentCallbackContext(execution, project);
            foreach (var callback in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await callback.Callback(context);
            }

            environments[project.Name] = context.EnvironmentVariables.Where(p => p.Value is string).ToDictionary(p => p.Key, p => (string)p.Value);
        }

        return environments;
    }
}
