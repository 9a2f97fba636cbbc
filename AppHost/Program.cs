using Depin.AppHost;
using Depin.AppHost.LocalServers;

// The platform as Aspire runs it: each service its own process, its state in PostgreSQL, its events over Redis, the
// chain on anvil, one public entry point at :5080 and the Aspire dashboard for admins. `-- --demo` adds sample traffic.
var builder = DistributedApplication.CreateBuilder(args);
var platform = PlatformSettings.From(builder, args);

var adminKey = builder.AddParameter("admin-key", () => platform.AdminKey, secret: true);
var marketplaceLedgerKey = builder.AddParameter("ledger-key-marketplace", () => platform.MarketplaceLedgerKey, secret: true);
var rewardsLedgerKey = builder.AddParameter("ledger-key-rewards", () => platform.RewardsLedgerKey, secret: true);

var postgres = builder.AddPlatformPostgres("postgres", platform.DataRoot, port: platform.Port("Postgres", 55432));
var pubsub = builder.AddPlatformRedis("pubsub", platform.DataRoot, port: platform.Port("Redis", 56379));
var chain = builder.AddPlatformChain("chain", platform.Root, platform.DataRoot, port: platform.Port("Chain", 58545));

// Not behind DCP's proxy: while the ledger is down its callers are refused at once (the gateway answers 503) instead of
// waiting on a proxy with no one behind it.
var ledger = builder.AddProject<Projects.Depin_Ledger_Host>("ledger")
    .WithEndpoint("http", e => e.IsProxied = false)
    .WithPlatformDefaults(adminKey, pubsub)
    .WithTraceSampling(platform)
    .WithEnvironment("Ledger__DataDirectory", Path.Combine(platform.DataRoot, "ledger"))
    .WithEnvironment("Ledger__GatewayApiKey", marketplaceLedgerKey)
    .WithEnvironment("Ledger__Credentials__rewards__ApiKey", rewardsLedgerKey)
    .WithEnvironment("Ledger__Credentials__rewards__Programs__0", "reward-credit")
    .WithEnvironment("Ledger__Credentials__rewards__Programs__1", "deposit")
    .WithEnvironment("Ledger__Credentials__rewards__Programs__2", "withdraw")
    .WithEnvironment("Ledger__Credentials__rewards__Programs__3", "bridge-release");

var rewards = builder.AddProject<Projects.Depin_Rewards_Host>("rewards")
    .WithPlatformDefaults(adminKey, pubsub)
    .WithTraceSampling(platform)
    .WithReference(postgres, "Rewards").WaitFor(postgres)
    .WithReference(ledger).WaitFor(ledger)
    .WithEnvironment("Rewards__LedgerUrl", "http://ledger")
    .WithEnvironment("Rewards__LedgerApiKey", rewardsLedgerKey)
    .WithEnvironment("Rewards__RewardPoolFunding", "1000000000000000")
    .WithEpochs(platform)
    .WithChain(chain, platform);

var marketplace = builder.AddProject<Projects.Depin_Marketplace_Host>("marketplace")
    .WithReplicas(platform.MarketplaceReplicas)
    .WithCanaries(platform)
    .WithRateLimit(platform)
    .WithPlatformDefaults(adminKey, pubsub)
    .WithTraceSampling(platform)
    .WithReference(postgres).WaitFor(postgres)
    .WithReference(ledger).WaitFor(ledger)
    .WithReference(rewards).WaitFor(rewards)
    .WithEnvironment("Marketplace__LedgerUrl", "http://ledger")
    .WithEnvironment("Marketplace__LedgerApiKey", marketplaceLedgerKey)
    .WithEnvironment("Marketplace__RewardsUrl", "http://rewards")
    .WithEnvironment("Marketplace__SiloPort", "0")
    .WithEnvironment("Marketplace__GatewayPort", "0");

// The public entry point listens itself (no DCP proxy in front): one hop less per request, and a stopped gateway
// refuses connections at once.
var gateway = builder.AddProject<Projects.Depin_Gateway>("gateway")
    .WithEndpoint("http", e => e.IsProxied = false)
    .WithEnvironment("Admin__ApiKey", adminKey)
    .WithTraceSampling(platform)
    .WithReference(marketplace).WaitFor(marketplace)
    .WithReference(ledger)
    .WithReference(rewards)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Depin_Worker>("workers")
    .WithReplicas(platform.WorkerReplicas)
    .WithTraceSampling(platform)
    .WithEnvironment("Worker__MarketplaceUrl", gateway.GetEndpoint("http"))
    .WithEnvironment("Worker__WalletKeyFile", Path.Combine(platform.DataRoot, "pool-wallet.json"))
    .WithEnvironment("Worker__ProviderName", "local-pool")
    .WithEnvironment("Worker__AskPricePerMegaUnit", "100000")
    .WaitFor(gateway);

if (platform.Demo)
{
    builder.AddProject<Projects.Depin_Cli>("demo")
        .WithArgs("demo", "--url", gateway.GetEndpoint("http"))
        .WaitFor(gateway);
}

builder.Build().Run();
