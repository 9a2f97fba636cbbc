using Microsoft.Extensions.Configuration;
using Depin.Contracts.Marketplace;
using Depin.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Refit;

// depin-worker: settings from appsettings.json, DEPIN_Worker__* environment variables or --Worker:Key=value arguments.
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables("DEPIN_");
builder.Services.AddOptions<WorkerAgentOptions>().Bind(builder.Configuration.GetSection(WorkerAgentOptions.Section));
var settings = builder.Configuration.GetSection(WorkerAgentOptions.Section).Get<WorkerAgentOptions>() ?? new WorkerAgentOptions();
if (string.IsNullOrEmpty(settings.ApiKey) && !string.IsNullOrWhiteSpace(settings.WalletKeyFile))
{
    using var stopping = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => stopping.Cancel();
    var registration = await ProviderEnrollment.LoadOrRegisterAsync(new Uri(settings.MarketplaceUrl), settings.WalletKeyFile, settings.ProviderName, stopping.Token);
    builder.Configuration[$"{WorkerAgentOptions.Section}:{nameof(WorkerAgentOptions.ApiKey)}"] = registration.ApiKey;
    Console.WriteLine($"depin-worker: provider {registration.ProviderId}, paid to {registration.PayoutAddress}");
}

builder.Services.AddRefitGeneratedClient<IMarketplaceApi>()
    .ConfigureHttpClient((sp, http) =>
    {
        var o = sp.GetRequiredService<IOptions<WorkerAgentOptions>>().Value;
        http.BaseAddress = new Uri(o.MarketplaceUrl);
        http.DefaultRequestHeaders.Add("X-Api-Key", o.ApiKey);
        http.Timeout = TimeSpan.FromSeconds(o.LeaseWaitSeconds + 60);
    });
builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<WorkerAgent>(sp, sp.GetRequiredService<IOptions<WorkerAgentOptions>>().Value));
builder.Services.AddHostedService<WorkerAgentService>();
await builder.Build().RunAsync();

/// <summary>Runs the <see cref="WorkerAgent"/> for the lifetime of the host; stopping gives leases back.</summary>
internal sealed class WorkerAgentService(WorkerAgent agent) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => agent.RunAsync(stoppingToken);
}
