using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Depin.ServiceDefaults.Security;
using Depin.ServiceDefaults.Telemetry;
using Scalar.AspNetCore;

namespace Depin.ServiceDefaults;

/// <summary>What every Depin host gets: OpenTelemetry (OTLP when configured), health checks, RFC 7807 problem details, OpenAPI, the admin key.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Meter and activity source names of our own components, registered with OpenTelemetry.</summary>
    public static readonly string[] TelemetrySources = ["Depin.Ledger", "Depin.Marketplace", "Depin.Rewards", "Depin.Worker", "Depin.Eventing", "Microsoft.Orleans", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>Orleans' activity sources: a span for every grain call, traced only when <see cref="GrainCallSpansSetting"/> is true.</summary>
    private static readonly string[] GrainCallSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>Configuration key: true traces every grain call as spans (costly under load); the trace context crosses grain calls either way.</summary>
    public const string GrainCallSpansSetting = "Telemetry:GrainCallSpans";

    /// <summary>Configuration key: the share of traces kept (0..1, default 1), decided by trace id where a trace starts.</summary>
    public const string TraceSamplingSetting = "Telemetry:TraceSampling";

    /// <summary>
    /// Configuration key: the most new traces this process starts keeping a second (default 5; 0 for no limit). Under load
    /// the Aspire dashboard ingests a few hundred spans a second at most, and exporters drop what it cannot take, so
    /// keeping every trace leaves a few percent of them, most incomplete; a few whole traces a second stay readable.
    /// </summary>
    public const string TracesPerSecondSetting = "Telemetry:TracesPerSecond";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddDepinTelemetry();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddExceptionHandler<Problems.BackendUnavailableHandler>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        });
        builder.Services.AddOpenApi();
        builder.Services.AddAdminKey();
        // Service-to-service calls find each other by name (http://ledger, services:ledger:http:0 from the AppHost) and
        // get the standard resilience pipeline: attempt and total timeouts, retries of transient failures, a circuit
        // breaker. Retried ledger submissions are safe: transaction ids are derived, and the ledger answers a repeated
        // id with the receipt of the one that committed.
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    private static void AddDepinTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetrySources))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(builder.Configuration.RootTraceSampler()))
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(builder.Configuration.GetValue<bool>(GrainCallSpansSetting) ? TelemetrySources : [.. TelemetrySources.Except(GrainCallSources)])
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
    }

    private static RootTraceSampler RootTraceSampler(this IConfiguration configuration) =>
        new(Setting(configuration, TraceSamplingSetting, 1, max: 1), Setting(configuration, TracesPerSecondSetting, 5, max: 1_000_000));

    private static double Setting(IConfiguration configuration, string key, double fallback, double max) =>
        configuration[key] is not { } value ? fallback
        : double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= 0 && number <= max ? number
        : throw new InvalidOperationException($"{key} must be a number from 0 to {max}, not '{value}'.");

    /// <summary>Exception handling as problem details, /health and /alive, OpenAPI at /openapi/v1.json and the Scalar UI at /scalar.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        // Resolved now, so that a refused key stops start-up and a generated one is logged before anything listens.
        _ = app.Services.GetRequiredService<AdminKey>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        app.MapOpenApi();
        app.MapScalarApiReference();
        return app;
    }
}
