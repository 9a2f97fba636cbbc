using System.Net.Http.Json;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Testing;
using Depin.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Refit;
using StackExchange.Redis;

namespace Depin.Marketplace.IntegrationTests;

/// <summary>
/// The marketplace and the ledger as separate processes, as the orchestrated platform runs them: the marketplace host
/// with its silo on PostgreSQL, its events over Redis Streams, and the ledger service over REST with the marketplace's
/// credential; a real worker agent runs the job.
/// </summary>
public sealed class SeparateProcessesTests
{
    private const string ServiceKey = "separate-processes-ledger-key";
    private const string AdminKey = "separate-processes-admin-key";

    /// <summary>The rewards host's own build output (tests/X/bin/{Configuration}/net10.0 → services/Rewards/Depin.Rewards.Host/bin/{Configuration}/net10.0).</summary>
    private static string RewardsHostAssembly()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var root = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "services", "Rewards", "Depin.Rewards.Host", "bin", configuration, output.Name, "depin-rewards.dll");
    }

    [Fact]
    public async Task A_job_submitted_to_the_marketplace_process_settles_on_the_ledger_process_and_is_rewarded_by_the_rewards_process_through_events_over_Redis()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var redis = await RedisServer.StartAsync();
        using var data = new TempDirectory();
        await using var ledger = await ChildHost.StartAsync("depin-ledger.dll", new Dictionary<string, string>
        {
            ["Ledger__DataDirectory"] = Path.Combine(data.Path, "ledger"),
            ["Ledger__GatewayApiKey"] = ServiceKey,
            ["Admin__ApiKey"] = AdminKey,
            ["ConnectionStrings__pubsub"] = redis.ConnectionString,
            ["Eventing__AppId"] = "ledger",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        ledger.Http.DefaultRequestHeaders.Add("X-Api-Key", ServiceKey);
        await using var marketplace = await ChildHost.StartAsync("depin-marketplace.dll", new Dictionary<string, string>
        {
            ["Marketplace__LedgerUrl"] = ledger.Http.BaseAddress!.ToString(),
            ["Marketplace__LedgerApiKey"] = ServiceKey,
            ["Marketplace__SiloPort"] = ChildHost.FreePort().ToString(),
            ["Marketplace__GatewayPort"] = ChildHost.FreePort().ToString(),
            ["Marketplace__ContentDirectory"] = Path.Combine(data.Path, "content"),
            ["Marketplace__LeaseDuration"] = "00:00:05",
            ["Marketplace__LeasePollInterval"] = "00:00:00.050",
            ["Admin__ApiKey"] = AdminKey,
            ["ConnectionStrings__postgres"] = postgres.ConnectionString,
            ["ConnectionStrings__pubsub"] = redis.ConnectionString,
            ["Eventing__AppId"] = "marketplace",
            ["Logging__LogLevel__Default"] = "Warning",
        }, timeout: TimeSpan.FromSeconds(120));

        var genesis = DateTimeOffset.UtcNow;
        await using var rewards = await ChildHost.StartAsync(RewardsHostAssembly(), new Dictionary<string, string>
        {
            ["Rewards__LedgerUrl"] = ledger.Http.BaseAddress!.ToString(),
            ["Rewards__LedgerApiKey"] = ServiceKey,
            ["Rewards__Genesis"] = genesis.ToString("O"),
            ["Rewards__EpochLength"] = "00:00:20",
            ["Rewards__InitialEmissionPerEpoch"] = "1000000",
            ["Rewards__RunScheduler"] = "false",
            ["Admin__ApiKey"] = AdminKey,
            ["ConnectionStrings__Rewards"] = postgres.ConnectionString,
            ["ConnectionStrings__pubsub"] = redis.ConnectionString,
            ["Eventing__AppId"] = "rewards",
            ["Logging__LogLevel__Default"] = "Warning",
        }, timeout: TimeSpan.FromSeconds(120));
        await using var gateway = await ChildHost.StartAsync("depin-gateway.dll", new Dictionary<string, string>
        {
            ["services__marketplace__http__0"] = marketplace.Http.BaseAddress!.ToString(),
            ["services__ledger__http__0"] = ledger.Http.BaseAddress!.ToString(),
            ["services__rewards__http__0"] = rewards.Http.BaseAddress!.ToString(),
            ["Admin__ApiKey"] = AdminKey,
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await ledger.Http.PostAsJsonAsync("/api/ledger/transactions", new SubmitTransactionsRequest([new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: LedgerAccounts.RewardPool, Amount: 10_000_000)]));

        IMarketplaceApi Api(string? key = null)
        {
            var http = new HttpClient { BaseAddress = gateway.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            if (key is not null)
            {
                http.DefaultRequestHeaders.Add("X-Api-Key", key);
            }

            return RestService.ForGenerated<IMarketplaceApi>(http);
        }

        // The gateway is the public surface: the ledger's reads and each service's OpenAPI document, never its write route.
        using (var write = new HttpRequestMessage(HttpMethod.Post, "/api/ledger/transactions") { Headers = { { "X-Api-Key", ServiceKey } }, Content = JsonContent.Create(new SubmitTransactionsRequest([new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: LedgerAccounts.RewardPool, Amount: 1)])) })
        {
            var refused = (await gateway.Http.SendAsync(write)).StatusCode;
            Assert.Contains(refused, new[] { System.Net.HttpStatusCode.NotFound, System.Net.HttpStatusCode.MethodNotAllowed });
        }

        Assert.Equal(10_000_000, (await ledger.Http.GetFromJsonAsync<AccountDto>($"/api/ledger/accounts/{LedgerAccounts.RewardPool}"))!.Balance);

        Assert.True((await gateway.Http.GetAsync("/api/ledger/blocks/latest")).IsSuccessStatusCode);
        foreach (var (service, path) in new[] { ("ledger", "/api/ledger/blocks/{height}"), ("marketplace", "/api/jobs"), ("rewards", "/api/rewards/epochs") })
        {
            using var document = System.Text.Json.JsonDocument.Parse(await gateway.Http.GetStringAsync($"/openapi/{service}.json"));
            Assert.True(document.RootElement.GetProperty("paths").TryGetProperty(path, out _), $"{service}'s document names {path}");
        }

        var customer = await Api().RegisterCustomerAsync(new RegisterCustomerRequest("alice"));
        await Api(AdminKey).AdminDepositAsync(new AdminDepositRequest(customer.CustomerId, 100_000));
        var provider = await Api().RegisterProviderAsync(new RegisterProviderRequest("rig", "0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20))));
        var agent = new WorkerAgent(Api(provider.ApiKey), new WorkerAgentOptions
        {
            Name = "separate-processes",
            AskPricePerMegaUnit = 1_000_000,
            CpuOnly = true,
            BenchmarkScore = 1,
            LeaseWaitSeconds = 1,
            HeartbeatInterval = TimeSpan.FromMilliseconds(300),
        }, NullLogger<WorkerAgent>.Instance);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => agent.RunAsync(stop.Token));

        var job = await Api(customer.ApiKey).SubmitJobAsync(new SubmitJobRequest("matmul", MarketplaceFixture.MatMul(8), 2_000_000));
        var settled = await MarketplaceFixture.WaitForStatusAsync(Api(customer.ApiKey), job.JobId, JobStatuses.Settled, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        var record = await ledger.Http.GetFromJsonAsync<JobRecordDto>($"/api/ledger/jobs/{job.JobId}");
        var customerAccount = await ledger.Http.GetFromJsonAsync<AccountDto>($"/api/ledger/accounts/{customer.LedgerAddress}");
        var providerAccount = await ledger.Http.GetFromJsonAsync<AccountDto>($"/api/ledger/accounts/{provider.PayoutAddress}");
        Assert.Equal("settled", record!.Status);
        Assert.Equal((settled.Price, settled.Fee), (record.Price, record.Fee));
        Assert.Equal(100_000 - settled.Price, customerAccount!.Balance);
        Assert.Equal(settled.Price - settled.Fee, providerAccount!.Balance);

        // Rewards counted the verified work from events that crossed processes, and credits it at the epoch's close.
        var wait = genesis.AddSeconds(21) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        using (var close = new HttpRequestMessage(HttpMethod.Post, "/api/rewards/epochs/close") { Headers = { { "X-Api-Key", AdminKey } } })
        {
            (await rewards.Http.SendAsync(close)).EnsureSuccessStatusCode();
        }

        var epoch = await gateway.Http.GetFromJsonAsync<Depin.Contracts.Rewards.EpochDto>("/api/rewards/epochs/0");
        var earned = await gateway.Http.GetFromJsonAsync<Depin.Contracts.Rewards.ProviderRewardsDto>($"/api/rewards/providers/{provider.PayoutAddress}");
        Assert.Equal(1, epoch!.ProviderCount);
        Assert.Equal(epoch.WorkPool, Assert.Single(earned!.Epochs).Work);
        Assert.True(epoch.WorkPool > 0);
        var paid = await ledger.Http.GetFromJsonAsync<AccountDto>($"/api/ledger/accounts/{provider.PayoutAddress}");
        Assert.Equal(settled.Price - settled.Fee + earned.Total, paid!.Balance);

        // The verification travelled through Redis: the rewards' consumer group read it there and acknowledged it. The
        // marketplace reads none of its own job events (its admin panel is the all-in-one host's).
        await using var broker = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var db = broker.GetDatabase();
        Assert.True(await db.StreamLengthAsync("marketplace.job-verified") >= 1);
        Assert.Equal(0, (await db.StreamPendingAsync("marketplace.job-verified", "rewards")).PendingMessageCount);
        Assert.Equal(["rewards"], (await db.StreamGroupInfoAsync("marketplace.job-verified")).Select(g => g.Name));
        Assert.True(await db.StreamLengthAsync("ledger.block-committed") >= 1);
    }
}
