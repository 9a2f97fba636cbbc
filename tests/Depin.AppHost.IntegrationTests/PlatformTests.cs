using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Contracts.Rewards;

namespace Depin.AppHost.IntegrationTests;

/// <summary>The platform as `dotnet run --project AppHost` runs it, driven through its public entry point.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PlatformTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_job_submitted_through_the_gateway_runs_on_the_worker_process_settles_on_the_ledger_process_and_rewards_credit_the_provider_from_events()
    {
        var customer = await platform.Api().RegisterCustomerAsync(new RegisterCustomerRequest("alice"));
        await platform.Api(PlatformFixture.AdminKey).AdminDepositAsync(new AdminDepositRequest(customer.CustomerId, 1_000_000));
        var provider = await platform.PoolProviderAsync();
        var ledger = platform.Ledger();
        var treasuryBefore = await BalanceAsync(ledger, LedgerAccounts.Treasury);
        var (providerBefore, rewardsBefore) = await ProviderAsync(ledger, provider.PayoutAddress);
        var workBefore = await WorkRewardedAsync(provider.PayoutAddress);

        var parameters = JsonDocument.Parse("""{"m":8,"n":8,"k":8,"seed":11}""").RootElement;
        var job = await platform.Api(customer.ApiKey).SubmitJobAsync(new SubmitJobRequest("matmul", parameters, 2_000_000));
        var settled = await WaitForAsync(() => platform.Api(customer.ApiKey).GetJobAsync(job.JobId), j => j.Status == JobStatuses.Settled, TimeSpan.FromSeconds(90));

        var record = await PlatformFixture.GetAsync<JobRecordDto>(ledger, $"/api/ledger/jobs/{job.JobId}");
        Assert.Equal("settled", record.Status);
        Assert.Equal((settled.Price, settled.Fee), (record.Price, record.Fee));
        Assert.True(settled.Price > 0 && settled.Fee > 0);
        Assert.Equal(1_000_000 - settled.Price, (await platform.Api(customer.ApiKey).GetCustomerAsync()).Balance);
        Assert.Equal(treasuryBefore + settled.Fee, await BalanceAsync(ledger, LedgerAccounts.Treasury));
        var (providerAfter, rewardsAfter) = await ProviderAsync(ledger, provider.PayoutAddress);
        Assert.Equal(providerBefore + (settled.Price - settled.Fee) + (rewardsAfter - rewardsBefore), providerAfter);

        // The verified work crossed from the marketplace to rewards over Redis; its epoch's close credits it on the ledger.
        var earned = await WaitForAsync(
            () => PlatformFixture.GetAsync<ProviderRewardsDto>(platform.Gateway(), $"/api/rewards/providers/{provider.PayoutAddress}"),
            r => r.Epochs.Sum(e => e.Work) > workBefore,
            TimeSpan.FromSeconds(90));
        Assert.True(earned.Total > rewardsBefore);
        var (paid, total) = await ProviderAsync(ledger, provider.PayoutAddress);
        Assert.Equal(providerBefore + (settled.Price - settled.Fee) + (total - rewardsBefore), paid);
    }

    [Fact]
    public async Task One_job_is_one_trace_across_the_gateway_marketplace_ledger_and_rewards_linked_through_Redis()
    {
        var customer = await platform.Api().RegisterCustomerAsync(new RegisterCustomerRequest("traced"));
        await platform.Api(PlatformFixture.AdminKey).AdminDepositAsync(new AdminDepositRequest(customer.CustomerId, 1_000_000));
        var parameters = JsonDocument.Parse("""{"m":4,"n":4,"k":4,"seed":5}""").RootElement;
        var job = await platform.Api(customer.ApiKey).SubmitJobAsync(new SubmitJobRequest("matmul", parameters, 2_000_000));
        await WaitForAsync(() => platform.Api(customer.ApiKey).GetJobAsync(job.JobId), j => j.Status == JobStatuses.Settled, TimeSpan.FromSeconds(90));

        using var dashboard = new HttpClient { BaseAddress = platform.DashboardUrl };
        dashboard.DefaultRequestHeaders.Add("X-API-Key", PlatformFixture.DashboardApiKey);
        var spans = await WaitForAsync(
            async () => Spans(JsonDocument.Parse(await dashboard.GetStringAsync("/api/telemetry/traces?limit=1000"))),
            // Telemetry arrives in batches: wait until the trace holds the rewards consumer and the settlement.
            all => JobTrace(all, job.JobId) is { } t
                && all.Any(s => s.TraceId == t && s.Service == "rewards" && s.Name == "marketplace.job-verified process")
                && all.Any(s => s.TraceId == t && s.Service == "marketplace" && s.Name == "marketplace.job-settled publish")
                && all.Count(s => s.TraceId == t && s.Service == "ledger" && s.Name == "POST /api/ledger/transactions") >= 3,
            TimeSpan.FromSeconds(60));
        var trace = JobTrace(spans, job.JobId)!;
        var inTrace = spans.Where(s => s.TraceId == trace).ToList();

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

    private sealed record Span(string TraceId, string SpanId, string? ParentSpanId, string Service, string Name, string? Path);

    /// <summary>The trace of the job's submission: the one whose marketplace span is the POST that created <paramref name="jobId"/>.</summary>
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

    [Fact]
    public async Task The_two_marketplace_replicas_are_one_Orleans_cluster_and_the_admin_alone_sees_it()
    {
        using var anonymous = await platform.Gateway().GetAsync("/api/admin/cluster");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var silos = await WaitForAsync(
            () => PlatformFixture.GetAsync<SiloView[]>(platform.Gateway(PlatformFixture.AdminKey), "/api/admin/cluster"),
            s => s.Length == 2,
            TimeSpan.FromSeconds(60));
        Assert.All(silos, s => Assert.Equal("Active", s.Status));
        Assert.Equal(2, silos.Select(s => s.Address).Distinct().Count());
    }

    [Fact]
    public async Task Every_service_is_healthy_and_the_gateway_serves_only_the_public_routes()
    {
        foreach (var service in new[] { "ledger", "marketplace", "rewards", "gateway" })
        {
            using var health = await platform.App.CreateHttpClient(service).GetAsync("/health");
            Assert.True(health.IsSuccessStatusCode, $"{service}: {(int)health.StatusCode}");
        }

        using var gateway = platform.Gateway(PlatformFixture.AdminKey);
        using var write = await gateway.PostAsJsonAsync("/api/ledger/transactions", new SubmitTransactionsRequest([new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: LedgerAccounts.RewardPool, Amount: 1)]));
        Assert.Contains(write.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        Assert.True((await gateway.GetAsync("/api/ledger/blocks/latest")).IsSuccessStatusCode);
        foreach (var (service, path) in new[] { ("ledger", "/api/ledger/blocks/{height}"), ("marketplace", "/api/jobs"), ("rewards", "/api/rewards/epochs") })
        {
            using var document = JsonDocument.Parse(await gateway.GetStringAsync($"/openapi/{service}.json"));
            Assert.True(document.RootElement.GetProperty("paths").TryGetProperty(path, out _), $"{service}'s document names {path}");
        }
    }

    private static async Task<long> BalanceAsync(HttpClient ledger, string address)
    {
        using var response = await ledger.GetAsync($"/api/ledger/accounts/{address}");
        return response.StatusCode == HttpStatusCode.NotFound ? 0 : (await response.Content.ReadFromJsonAsync<AccountDto>())!.Balance;
    }

    /// <summary>The provider's ledger balance and its rewards total, read when no epoch close came between them.</summary>
    private async Task<(long Balance, long Rewards)> ProviderAsync(HttpClient ledger, string address)
    {
        while (true)
        {
            var before = await RewardsTotalAsync(address);
            var balance = await BalanceAsync(ledger, address);
            if (await RewardsTotalAsync(address) == before)
            {
                return (balance, before);
            }
        }
    }

    private async Task<long> WorkRewardedAsync(string address)
    {
        using var response = await platform.Gateway().GetAsync($"/api/rewards/providers/{address}");
        return response.StatusCode == HttpStatusCode.NotFound ? 0 : (await response.Content.ReadFromJsonAsync<ProviderRewardsDto>())!.Epochs.Sum(e => e.Work);
    }

    private async Task<long> RewardsTotalAsync(string address)
    {
        using var response = await platform.Gateway().GetAsync($"/api/rewards/providers/{address}");
        return response.StatusCode == HttpStatusCode.NotFound ? 0 : (await response.Content.ReadFromJsonAsync<ProviderRewardsDto>())!.Total;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            value = await read();
        }

        Assert.True(done(value), $"not reached within {timeout}: {JsonSerializer.Serialize(value)}");
        return value;
    }

    /// <summary>An entry of GET /api/admin/cluster.</summary>
    public sealed record SiloView(string Address, string Status);
}
