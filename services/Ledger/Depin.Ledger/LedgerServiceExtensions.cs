using Depin.Contracts.Ledger;
using Depin.Ledger.Api;
using Depin.Ledger.Node;
using Depin.ServiceDefaults.Admin;
using Depin.ServiceDefaults.Eventing;
using Depin.ServiceDefaults.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Ledger;

/// <summary>Composition of the ledger service: <c>builder.AddLedger()</c> and <c>app.MapLedgerApi()</c>.</summary>
public static class LedgerServiceExtensions
{
    public static TBuilder AddLedger<TBuilder>(this TBuilder builder, Action<LedgerOptions>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        var options = builder.Services.AddOptions<LedgerOptions>().Bind(builder.Configuration.GetSection(LedgerOptions.Section));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton(sp => new LedgerNode(
            sp.GetRequiredService<IOptions<LedgerOptions>>().Value,
            sp.GetRequiredService<ILogger<LedgerNode>>(),
            sp.GetService<TimeProvider>()));
        builder.Services.AddAdminKey();
        builder.Services.AddSingleton(sp => new LedgerAccess(
            sp.GetRequiredService<IOptions<LedgerOptions>>().Value,
            sp.GetRequiredService<AdminKey>(),
            sp.GetService<ILedgerAccountOwners>()));
        builder.Services.AddSingleton<LocalLedgerClient>();
        builder.Services.AddSingleton<ILedgerClient>(sp => sp.GetRequiredService<LocalLedgerClient>());
        builder.Services.AddSingleton<ILedgerJobs>(sp => sp.GetRequiredService<LocalLedgerClient>());
        builder.Services.AddHostedService<LedgerHostedService>();
        builder.AddEventing();
        builder.Services.AddHostedService<BlockHeadPublisher>();
        builder.Services.AddSingleton<IDashboardSource, LedgerDashboardSource>();
        builder.Services.AddHealthChecks().AddCheck<LedgerHealthCheck>("ledger");
        return builder;
    }

    public static IEndpointRouteBuilder MapLedger(this IEndpointRouteBuilder app) => app.MapLedgerApi();
}
