using Depin.Contracts.Events;
using Depin.Contracts.Ledger;
using Depin.Ledger.Api;
using Depin.Ledger.Node;
using Depin.Rewards.Anchoring;
using Depin.Rewards.Api;
using Depin.Rewards.Bridge;
using Depin.Rewards.Epochs;
using Depin.Rewards.Hosting;
using Depin.Rewards.Ledger;
using Depin.Rewards.Storage;
using Depin.Rewards.Wallets;
using Depin.ServiceDefaults.Admin;
using Depin.ServiceDefaults.Eventing;
using Depin.ServiceDefaults.Security;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Refit;

namespace Depin.Rewards;

/// <summary>Composition of the rewards service: <c>builder.AddRewards()</c> and <c>app.MapRewardsApi()</c>.</summary>
public static class RewardsExtensions
{
    /// <summary>Connection string name: when set, epochs and Hangfire live in PostgreSQL; otherwise in memory.</summary>
    public const string ConnectionStringName = "Rewards";

    /// <summary>The platform's PostgreSQL, used when <see cref="ConnectionStringName"/> is not set (rewards keep their own tables and the rewards_hangfire schema).</summary>
    public const string PlatformConnectionStringName = "postgres";

    /// <summary>
    /// Registers the epoch engine, store, closer and its Hangfire job, wallet challenges, chain publishing and ledger
    /// anchoring. Needs an <see cref="Depin.Contracts.Ledger.ILedgerClient"/> (e.g. from <c>AddLedger()</c>). Replace
    /// <see cref="IEpochActivitySource"/> (default: <see cref="EpochActivityRecorder"/>) or <see cref="ILedgerHeadSource"/> by registering your own.
    /// </summary>
    public static TBuilder AddRewards<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<RewardsOptions>()
            .Bind(builder.Configuration.GetSection(RewardsOptions.SectionName))
            .Validate(o => o.EpochLength > TimeSpan.Zero, "Rewards:EpochLength must be positive.")
            .Validate(o => o.HalvingIntervalEpochs > 0, "Rewards:HalvingIntervalEpochs must be positive.")
            .Validate(o => o.InitialEmissionPerEpoch >= 0, "Rewards:InitialEmissionPerEpoch must not be negative.")
            .Validate(o => o.AvailabilityBasisPoints is >= 0 and <= 10_000, "Rewards:AvailabilityBasisPoints must be within 0..10000.")
            .ValidateOnStart();
        services.AddAdminKey();
        services.TryAddSingleton(TimeProvider.System);
        RewardsOptions configured = builder.Configuration.GetSection(RewardsOptions.SectionName).Get<RewardsOptions>() ?? new RewardsOptions();

        string? connectionString = builder.Configuration.GetConnectionString(ConnectionStringName) ?? builder.Configuration.GetConnectionString(PlatformConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            services.TryAddSingleton<IEpochStore, InMemoryEpochStore>();
        }
        else
        {
            services.TryAddSingleton<IEpochStore>(_ => new PostgresEpochStore(connectionString));
        }

        services.TryAddSingleton(sp =>
        {
            RewardsOptions o = sp.GetRequiredService<IOptions<RewardsOptions>>().Value;
            DateTimeOffset genesis = o.Genesis ?? sp.GetRequiredService<IEpochStore>()
                .GetOrInitializeGenesisAsync(EpochClock.AlignDown(sp.GetRequiredService<TimeProvider>().GetUtcNow(), o.EpochLength))
                .GetAwaiter().GetResult();
            return new EpochClock(genesis, o.EpochLength);
        });

        services.TryAddSingleton<EpochActivityRecorder>();
        services.TryAddSingleton<IEpochActivitySource>(sp =>
        {
            EpochActivityRecorder recorder = sp.GetRequiredService<EpochActivityRecorder>();
            if (sp.GetRequiredService<IOptions<RewardsOptions>>().Value.WorkUnitsFrom == WorkUnitsSource.Events)
            {
                return recorder;
            }

            ISettledWorkSource? settled = sp.GetService<ISettledWorkSource>()
                ?? (sp.GetService<LedgerNode>() is { } node ? new LedgerSettledWork((from, to, offset, _) =>
                    Task.FromResult(node.FinishedJobs(from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), offset, LedgerSettledWork.PageSize).ToDto())) : null);
            return settled is null ? recorder : new SettledWorkActivity(recorder, settled);
        });
        services.TryAddSingleton<InProcessEpochEventPublisher>();
        builder.AddEventing();
        services.TryAddSingleton<IEpochEventPublisher, PlatformEpochEventPublisher>();
        services.TryAddSingleton<PayoutTreeCache>();
        services.TryAddSingleton<EpochCloser>();
        services.TryAddTransient<EpochCloseJob>();

        services.TryAddSingleton(sp => new RewardsChain(sp.GetRequiredService<IOptions<RewardsOptions>>().Value.Chain));
        services.TryAddSingleton<IPayoutRootPublisher, ChainPayoutRootPublisher>();
        services.TryAddSingleton<IStateAnchorSink, ChainStateAnchorSink>();
        services.TryAddSingleton<BlockCommittedHeadSource>();
        // A standalone ledger service (Rewards:LedgerUrl) is used over REST; an in-process ledger node is followed directly;
        // otherwise BlockCommittedEvents from pub/sub feed the head.
        if (!string.IsNullOrWhiteSpace(configured.LedgerUrl))
        {
            services.AddRefitGeneratedClient<ILedgerApi>().ConfigureHttpClient(http =>
            {
                http.BaseAddress = new Uri(configured.LedgerUrl);
                if (!string.IsNullOrEmpty(configured.LedgerApiKey))
                {
                    http.DefaultRequestHeaders.Add(AdminKey.HeaderName, configured.LedgerApiKey);
                }
            });
            services.TryAddSingleton<ILedgerClient, HttpLedgerClient>();
            services.TryAddSingleton<ISettledWorkSource>(sp => new LedgerSettledWork(sp.GetRequiredService<ILedgerApi>()));
            services.TryAddSingleton<ILedgerHeadSource, LedgerApiHeadSource>();
            services.TryAddSingleton<ILedgerSupplySource, LedgerApiSupply>();
        }

        services.TryAddSingleton<ILedgerHeadSource>(sp => sp.GetService<LedgerNode>() is { } node
            ? new LedgerNodeHeadSource(node)
            : sp.GetRequiredService<BlockCommittedHeadSource>());
        services.TryAddSingleton<LedgerAnchorService>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerAnchorService>());

        services.AddOptions<BridgeOptions>().Bind(builder.Configuration.GetSection(BridgeOptions.SectionName))
            .Validate(o => o.Confirmations >= 1, "Rewards:Bridge:Confirmations must be at least 1.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Rewards:Bridge:PollInterval must be positive.")
            .Validate(o => o.WithdrawalBatchInterval > TimeSpan.Zero, "Rewards:Bridge:WithdrawalBatchInterval must be positive.");
        // Test tokens are a local convenience: whatever the configuration says, the faucet exists only in Development and --demo.
        IConfiguration configuration = builder.Configuration;
        IHostEnvironment environment = builder.Environment;
        services.PostConfigure<BridgeOptions>(o => o.EnableDevFaucet &= AdminKey.IsLocalDevelopment(configuration, environment));
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            services.TryAddSingleton<InMemoryBridgeStore>();
            services.TryAddSingleton<IBridgeStore>(sp => sp.GetRequiredService<InMemoryBridgeStore>());
            services.TryAddSingleton<IWithdrawalStore>(sp => sp.GetRequiredService<InMemoryBridgeStore>());
        }
        else
        {
            services.TryAddSingleton(_ => new PostgresBridgeStore(connectionString));
            services.TryAddSingleton<IBridgeStore>(sp => sp.GetRequiredService<PostgresBridgeStore>());
            services.TryAddSingleton<IWithdrawalStore>(sp => sp.GetRequiredService<PostgresBridgeStore>());
        }

        services.TryAddSingleton<Withdrawals>();
        services.TryAddSingleton(sp => new BackingCheck(
            sp.GetRequiredService<RewardsChain>(),
            sp.GetService<ILedgerSupplySource>() ?? (sp.GetService<LedgerNode>() is { } node ? new LedgerNodeSupply(node) : null)));
        services.AddHostedService<WithdrawalBatcher>();

        services.TryAddSingleton<IEmissionBacking, VaultEmissions>();
        services.TryAddSingleton<DepositWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DepositWatcher>());

        services.TryAddSingleton<WalletChallenges>();
        services.TryAddSingleton<IWalletChallenges>(sp => sp.GetRequiredService<WalletChallenges>());
        services.TryAddSingleton<IWalletVerifier>(sp => sp.GetRequiredService<WalletChallenges>());

        services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                config.UseInMemoryStorage();
            }
            else
            {
                config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
                {
                    SchemaName = "rewards_hangfire",
                    // A lock that a SIGKILLed process held is taken over after this (default 10 min); the close job is resumable.
                    DistributedLockTimeout = TimeSpan.FromMinutes(1),
                });
            }
        });
        if (configured.RunScheduler)
        {
            services.AddHangfireServer(o =>
            {
                o.ServerName = "rewards";
                o.WorkerCount = 2;
                o.SchedulePollingInterval = TimeSpan.FromTicks(Math.Clamp(configured.EpochLength.Ticks / 3, TimeSpan.TicksPerSecond, TimeSpan.FromSeconds(15).Ticks));
            });
        }

        services.AddHostedService<RewardsStartup>();
        services.AddHostedService<RewardPoolFunding>();
        services.AddSingleton<IDashboardSource, RewardsDashboardSource>();
        return builder;
    }

    /// <summary>Maps /api/wallets, /api/rewards, the ledger block-committed subscription and the admin-only Hangfire dashboard at /hangfire.</summary>
    public static IEndpointRouteBuilder MapRewardsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app is WebApplication web)
        {
            web.UseEventing();
        }

        app.MapWalletsApi();
        app.MapEpochRewardsApi();
        app.MapBridgeApi();
        if (app.ServiceProvider.GetRequiredService<IOptions<RewardsOptions>>().Value.RecordVerifiedWorkFromEvents)
        {
            app.MapTopic<JobVerifiedEvent>(MarketplaceTopics.JobVerified, "/events/rewards/job-verified", static (verified, services, _) =>
            {
                services.GetRequiredService<EpochActivityRecorder>().RecordVerifiedWork(verified);
                return Task.CompletedTask;
            });
            app.MapTopic<WorkerUptimeEvent>(WorkerActivityTopics.WorkerUptime, "/events/rewards/worker-uptime", static (uptime, services, _) =>
            {
                services.GetRequiredService<EpochActivityRecorder>().RecordUptime(uptime.ProviderAddress, uptime.Seconds, uptime.CapabilityScore, uptime.At);
                return Task.CompletedTask;
            });
            app.MapTopic<VerificationFailedEvent>(WorkerActivityTopics.VerificationFailed, "/events/rewards/verification-failed", static (failed, services, _) =>
            {
                if (!string.IsNullOrEmpty(failed.ProviderAddress))
                {
                    services.GetRequiredService<EpochActivityRecorder>().RecordFailedVerification(failed.ProviderAddress, failed.At);
                }

                return Task.CompletedTask;
            });
        }

        // Block heads from pub/sub only matter (and are only accepted) when no ledger runs in process.
        if (app.ServiceProvider.GetRequiredService<ILedgerHeadSource>() is BlockCommittedHeadSource)
        {
            app.MapTopic<BlockCommittedEvent>(Topics.BlockCommitted, "/events/rewards/block-committed", static (block, services, _) =>
            {
                services.GetRequiredService<BlockCommittedHeadSource>().Observe(block);
                return Task.CompletedTask;
            });
        }

        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdminKeyDashboardFilter()],
            DashboardTitle = "Depin Rewards jobs",
        });
        return app;
    }
}
