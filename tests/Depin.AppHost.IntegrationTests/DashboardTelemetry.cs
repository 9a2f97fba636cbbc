using System.Text.Json;

namespace Depin.AppHost.IntegrationTests;

/// <summary>Spans as the Aspire dashboard's telemetry API serves them (OTLP JSON), and the trace of one job among them.</summary>
public static class DashboardTelemetry
{
    public sealed record Span(string TraceId, string SpanId, string? ParentSpanId, string Service, string Name, string? Path);

    public static HttpClient Client(PlatformFixture platform)
    {
        var dashboard = new HttpClient { BaseAddress = platform.DashboardUrl };
        dashboard.DefaultRequestHeaders.Add("X-API-Key", PlatformFixture.DashboardApiKey);
        return dashboard;
    }

    /// <summary>Waits until the job's trace holds the gateway, the rewards consumer, the settled event and three ledger writes (telemetry arrives in batches, each service's on its own schedule).</summary>
    public static async Task<(string TraceId, List<Span> Spans)> WaitForJobTraceAsync(PlatformFixture platform, string jobId)
    {
        using var dashboard = Client(platform);
        var spans = await PlatformFixture.WaitForAsync(
            async () => Spans(JsonDocument.Parse(await dashboard.GetStringAsync("/api/telemetry/traces?limit=1000"))),
            all => JobTrace(all, jobId) is { } t
                && all.Any(s => s.TraceId == t && s.Service == "gateway")
                && all.Any(s => s.TraceId == t && s.Service == "rewards" && s.Name == "marketplace.job-verified process")
                && all.Any(s => s.TraceId == t && s.Service == "marketplace" && s.Name == "marketplace.job-settled publish")
                && all.Count(s => s.TraceId == t && s.Service == "ledger" && s.Name == "POST /api/ledger/transactions") >= 3,
            TimeSpan.FromSeconds(60));
        var trace = JobTrace(spans, jobId)!;
        return (trace, spans.Where(s => s.TraceId == trace).ToList());
    }

    /// <summary>The trace of the job's result upload: the one whose marketplace span is the worker's POST of <paramref name="jobId"/>'s result.</summary>
    private static string? JobTrace(List<Span> spans, string jobId) =>
        spans.FirstOrDefault(s => s.Service == "marketplace" && s.Path is { } p && p.Contains(jobId, StringComparison.Ordinal) && p.Contains("/result", StringComparison.Ordinal))?.TraceId;

    private static List<Span> Spans(JsonDocument document)
    {
        var spans = new List<Span>();
        foreach (var resource in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = resource.TryGetProperty("resource", out var r) ? Attribute(r, "service.name") ?? "?" : "?";
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    spans.Add(new Span(
                        span.GetProperty("traceId").GetString()!,
                        span.GetProperty("spanId").GetString()!,
                        span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() : null,
                        service,
                        span.GetProperty("name").GetString()!,
                        Attribute(span, "url.path")));
                }
            }
        }

        return spans;
    }

    private static string? Attribute(JsonElement element, string key) =>
        element.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateArray().Where(a => a.GetProperty("key").GetString() == key).Select(a => a.GetProperty("value").TryGetProperty("stringValue", out var v) ? v.GetString() : null).FirstOrDefault()
            : null;
}
