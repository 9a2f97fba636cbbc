using System.Text.Json;
using Depin.Contracts.Marketplace;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Depin.AppHost.IntegrationTests;

/// <summary>One job's trace in the Aspire dashboard: through its telemetry API, and as an admin sees it in a browser.</summary>
[Collection(PlatformCollection.Name)]
public sealed class JobTraceTests(PlatformFixture platform, ITestOutputHelper output)
{
    [Fact]
    public async Task One_job_is_one_trace_across_the_gateway_marketplace_ledger_and_rewards_linked_through_Redis()
    {
        var job = await SettledJobAsync("traced");
        var (_, inTrace) = await DashboardTelemetry.WaitForJobTraceAsync(platform, job);

        Assert.Superset(new HashSet<string> { "gateway", "marketplace", "ledger", "rewards" }, inTrace.Select(s => s.Service).ToHashSet());
        // The rewards consumer is a child of the marketplace's publish: linked through the envelope's traceparent.
        var publish = Assert.Single(inTrace, s => s.Service == "marketplace" && s.Name == "marketplace.job-verified publish");
        Assert.Contains(inTrace, s => s.Service == "rewards" && s.Name == "marketplace.job-verified process" && s.ParentSpanId == publish.SpanId);
        // Submission (escrow lock), the worker's result upload (verification) and settlement: one trace, not three.
        Assert.Contains(inTrace, s => s.Service == "marketplace" && s.Name.StartsWith("POST /api/jobs", StringComparison.Ordinal));
        Assert.Contains(inTrace, s => s.Service == "marketplace" && s.Name.StartsWith("POST /api/workers/", StringComparison.Ordinal));
        Assert.True(inTrace.Count(s => s.Service == "ledger" && s.Name == "POST /api/ledger/transactions") >= 3, "escrow lock, completion and settlement reach the ledger in the job's trace");
        Assert.Contains(inTrace, s => s.Service == "marketplace" && s.Name == "marketplace.job-settled publish");
    }

    [Fact]
    public async Task The_dashboard_shows_every_resource_a_jobs_trace_and_each_services_business_metrics_in_Chromium()
    {
        var job = await SettledJobAsync("screenshot");
        var (trace, _) = await DashboardTelemetry.WaitForJobTraceAsync(platform, job);
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });

        await page.GotoAsync(new Uri(platform.DashboardUrl, $"/login?t={PlatformFixture.DashboardBrowserToken}").ToString());
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await OpenAsync(page, "/", async () =>
        {
            foreach (var resource in new[] { "postgres", "pubsub", "chain", "ledger", "rewards", "gateway", "workers" })
            {
                await Assertions.Expect(page.GetByText(resource, new() { Exact = true }).First).ToBeVisibleAsync(new() { Timeout = 20_000 });
            }

            // The two marketplace replicas are listed by their replica names (marketplace-xxxxx).
            await Assertions.Expect(page.GetByText(new System.Text.RegularExpressions.Regex("^marketplace-\\w+$"))).ToHaveCountAsync(2, new() { Timeout = 20_000 });
        });
        var resources = Path.Combine(screenshots, "dashboard-resources.png");
        await page.ScreenshotAsync(new() { Path = resources });

        await page.SetViewportSizeAsync(1600, 2200);
        var rows = page.GetByRole(AriaRole.Row);
        await OpenAsync(page, $"/traces/detail/{trace}", async () =>
        {
            foreach (var resource in new[] { "gateway", "ledger", "rewards" })
            {
                await Assertions.Expect(rows.Filter(new() { HasText = $"{resource}: " }).First).ToBeVisibleAsync(new() { Timeout = 20_000 });
            }
        });

        var detail = Path.Combine(screenshots, "dashboard-job-trace.png");
        await page.ScreenshotAsync(new() { Path = detail });

        // The spans that cross Redis, as the dashboard names them (MSG redis <topic>): published by the marketplace, processed by rewards.
        await Assertions.Expect(rows.Filter(new() { HasText = "rewards: MSG redis marketplace.job-verified" })).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Filter(new() { HasText = "MSG redis marketplace.job-settled" }).First).ToBeVisibleAsync();
        // The ledger's business instruments, as the metrics page lists them.
        await OpenAsync(page, "/metrics/resource/ledger", async () =>
        {
            foreach (var instrument in new[] { "depin.ledger.transactions", "depin.ledger.block.duration", "depin.ledger.height", "depin.ledger.pending" })
            {
                await Assertions.Expect(page.GetByText(instrument, new() { Exact = true }).First).ToBeVisibleAsync(new() { Timeout = 20_000 });
            }
        });
        var metrics = Path.Combine(screenshots, "dashboard-ledger-metrics.png");
        await page.ScreenshotAsync(new() { Path = metrics });

        // Rewards' and the marketplace's instruments, recorded as epochs close and jobs move (the replica that hosted a
        // job's grain counts it; workers online is counted where the worker's grain lives).
        await OpenAsync(page, "/metrics/resource/rewards", async () =>
        {
            foreach (var instrument in new[] { "depin.rewards.epoch.close.duration", "depin.rewards.epoch.paid", "depin.rewards.paid" })
            {
                await Assertions.Expect(page.GetByText(instrument, new() { Exact = true }).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
            }
        });
        var rewardsMetrics = Path.Combine(screenshots, "dashboard-rewards-metrics.png");
        await page.ScreenshotAsync(new() { Path = rewardsMetrics });
        var seen = new HashSet<string>();
        foreach (var replica in (await platform.App.PidsAsync("marketplace")).Keys)
        {
            await page.GotoAsync(new Uri(platform.DashboardUrl, $"/metrics/resource/{replica}").ToString());
            await Assertions.Expect(page.GetByText("depin.marketplace.", new() { Exact = false }).First).ToBeVisibleAsync(new() { Timeout = 20_000 });
            foreach (var instrument in new[] { "depin.marketplace.jobs", "depin.marketplace.lease.wait", "depin.marketplace.workers.online", "depin.marketplace.escrow.reconciled" })
            {
                if (await page.GetByText(instrument, new() { Exact = true }).CountAsync() > 0)
                {
                    seen.Add(instrument);
                }
            }
        }

        Assert.Equal(["depin.marketplace.escrow.reconciled", "depin.marketplace.jobs", "depin.marketplace.lease.wait", "depin.marketplace.workers.online"], seen.Order());

        output.WriteLine($"screenshots: {resources}, {detail}, {metrics}, {rewardsMetrics}");
        Assert.True(new FileInfo(resources).Length > 10_000 && new FileInfo(detail).Length > 10_000);
    }

    /// <summary>
    /// Opens a dashboard page until <paramref name="shown"/> holds: a Blazor circuit of the dashboard that drops while a
    /// page renders ("An unhandled error has occurred") is the dashboard's, and a reload gives a new one.
    /// </summary>
    private async Task OpenAsync(IPage page, string path, Func<Task> shown)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.GotoAsync(new Uri(platform.DashboardUrl, path).ToString());
            try
            {
                await shown();
                return;
            }
            catch (PlaywrightException ex) when (attempt < 3)
            {
                output.WriteLine($"{path}, attempt {attempt}: {ex.Message.Split('\n')[0]}");
            }
        }
    }

    private async Task<string> SettledJobAsync(string name)
    {
        var customer = await platform.Api().RegisterCustomerAsync(new RegisterCustomerRequest(name));
        await platform.Api(PlatformFixture.AdminKey).AdminDepositAsync(new AdminDepositRequest(customer.CustomerId, 1_000_000));
        var parameters = JsonDocument.Parse("""{"m":4,"n":4,"k":4,"seed":5}""").RootElement;
        var job = await platform.Api(customer.ApiKey).SubmitJobAsync(new SubmitJobRequest("matmul", parameters, 2_000_000));
        await PlatformFixture.WaitForAsync(() => platform.Api(customer.ApiKey).GetJobAsync(job.JobId), j => j.Status == JobStatuses.Settled, TimeSpan.FromSeconds(90));
        return job.JobId;
    }
}
