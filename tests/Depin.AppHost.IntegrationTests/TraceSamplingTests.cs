using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Depin.AppHost.IntegrationTests;

/// <summary>Platform:TraceSampling and Platform:TracesPerSecond as the AppHost's model hands them to each service (built, not started).</summary>
public sealed class TraceSamplingTests : IDisposable
{
    private static readonly string[] Services = ["ledger", "rewards", "marketplace", "gateway", "workers"];
    private readonly string _data = Directory.CreateTempSubdirectory("depin-sampling-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Every_service_gets_the_ratio_and_the_traces_per_second()
    {
        var environments = await EnvironmentsAsync("Platform:TraceSampling=0.25", "Platform:TracesPerSecond=40");

        Assert.All(Services, service =>
        {
            Assert.Equal("0.25", environments[service]["Telemetry__TraceSampling"]);
            Assert.Equal("40", environments[service]["Telemetry__TracesPerSecond"]);
        });
    }

    [Fact]
    public async Task By_default_every_trace_is_eligible_and_each_service_keeps_five_new_traces_a_second()
    {
        var environments = await EnvironmentsAsync();

        Assert.All(Services, service =>
        {
            Assert.Equal("1", environments[service]["Telemetry__TraceSampling"]);
            Assert.Equal("5", environments[service]["Telemetry__TracesPerSecond"]);
        });
    }

    [Theory]
    [InlineData("Platform:TraceSampling=1.5", "Platform:TraceSampling must be a number from 0 to 1")]
    [InlineData("Platform:TraceSampling=some", "Platform:TraceSampling must be a number from 0 to 1")]
    [InlineData("Platform:TracesPerSecond=-1", "Platform:TracesPerSecond must be a number from 0 (no limit)")]
    public async Task A_setting_out_of_range_stops_the_AppHost_with_a_clear_error(string setting, string message)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => EnvironmentsAsync(setting));

        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
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
