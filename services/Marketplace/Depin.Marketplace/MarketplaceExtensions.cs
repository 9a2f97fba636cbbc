using System.Threading.RateLimiting;
using Depin.Contracts.Events;
using Depin.Contracts.Ledger;
using Depin.Kernels;
using Depin.Marketplace.Admin;
using Depin.Marketplace.Auth;
using Depin.Marketplace.Canaries;
using Depin.Marketplace.Customers;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Jobs;
using Depin.Marketplace.Persistence;
using Depin.Marketplace.Providers;
using Depin.Marketplace.Withdrawals;
using Depin.Marketplace.Settlement;
using Depin.Marketplace.Workers;
using Depin.ServiceDefaults.Eventing;
using Depin.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Refit;

namespace Depin.Marketplace;

/// <summary>Composition of the marketplace: <see cref="AddMarketplace"/> on the builder, <see cref="MapMarketplaceApi"/> on the app.</summary>
public static class MarketplaceExtensions
{
    /// <summary>Name of the Orleans grain storage provider used by every marketplace grain.</summary>
    public const string StorageName = "marketplace";

    /// <summary>
    /// Connection string name of the platform's PostgreSQL: with it, membership, grain state (customers, providers, workers,
    /// API key hashes, jobs) and reminders live there; without it, in memory (for tests that do not need durability).
    /// </summary>
    public const string ConnectionStringName = "postgres";

    /// <summary>
    /// Registers the marketplace: an Orleans silo (localhost clustering on <see cref="MarketplaceOptions.SiloPort"/> /
    /// <see cref="MarketplaceOptions.GatewayPort"/>, in-memory grain storage named <see cref="StorageName"/> unless
    /// <paramref name="configureSilo"/> adds a durable one), API-key authentication, per-key rate limiting, problem details,
    /// eventing, the kernel registry and the result store. It needs an <see cref="ILedgerClient"/>: from <c>AddLedger()</c>
    /// (in process) or, when <see cref="MarketplaceOptions.LedgerUrl"/> is set, over HTTP.
    /// </summary>
    public static TBuilder AddMarketplace<TBuilder>(this TBuilder builder, Action<Orleans.Hosting.ISiloBuilder>? configureSilo = null)
        where TBuilder : IHostApplicationBuilder
    {
        var section = builder.Configuration.GetSection(MarketplaceOptions.Section);
        var options = section.Get<MarketplaceOptions>() ?? new MarketplaceOptions();
        builder.Services.AddOptions<MarketplaceOptions>().Bind(section);
        builder.AddEventing();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(_ => KernelRegistry.CreateDefault());
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            builder.Services.TryAddSingleton<Depin.ServiceDefaults.Storage.IContentStore>(sp => new Depin.ServiceDefaults.Storage.ContentStore(sp.GetRequiredService<IOptions<MarketplaceOptions>>().Value.ContentPath));
        }
        else
        {
            // Replicas share PostgreSQL: what one stores, the silo hosting the job and the one serving the worker read.
            builder.Services.TryAddSingleton<Depin.ServiceDefaults.Storage.IContentStore>(_ => new PostgresContentStore(Npgsql.NpgsqlDataSource.Create(connectionString)));
        }
        builder.Services.TryAddSingleton<JobSpecs>();
        builder.Services.AddSingleton<ProviderRegistrar>();
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddHostedService<OpenJobsSweeper>();
        builder.Services.AddHostedService<Canaries.CanaryScheduler>();
        builder.Services.AddSingleton<Admin.MarketplaceActivity>();
        builder.Services.AddSingleton<ServiceDefaults.Admin.IDashboardSource>(sp => sp.GetRequiredService<Admin.MarketplaceActivity>());
        builder.Services.AddAdminKey();
        builder.Services.TryAddSingleton<ILedgerAccountOwners, MarketplaceAccountOwners>();
        // The faucet is a local convenience: whatever the configuration says, it exists only in Development and --demo.
        var configuration = builder.Configuration;
        var environment = builder.Environment;
        builder.Services.PostConfigure<MarketplaceOptions>(o => o.EnableFaucet &= AdminKey.IsLocalDevelopment(configuration, environment));

        if (!string.IsNullOrWhiteSpace(options.LedgerUrl))
        {
            builder.Services.AddRefitGeneratedClient<ILedgerApi>()
                .ConfigureHttpClient(c =>
                {
                    c.BaseAddress = new Uri(options.LedgerUrl);
                    if (!string.IsNullOrEmpty(options.LedgerApiKey))
                    {
                        c.DefaultRequestHeaders.Add(AdminKey.HeaderName, options.LedgerApiKey);
                    }
                });
            builder.Services.TryAddSingleton<HttpLedgerClient>();
            builder.Services.TryAddSingleton<ILedgerClient>(sp => sp.GetRequiredService<HttpLedgerClient>());
            builder.Services.TryAddSingleton<ILedgerJobs>(sp => sp.GetRequiredService<HttpLedgerClient>());
        }

        if (!string.IsNullOrWhiteSpace(options.RewardsUrl))
        {
            builder.Services.AddHttpClient<IPayoutWalletProof, RewardsWalletProof>(c => c.BaseAddress = new Uri(options.RewardsUrl));
            builder.Services.AddHttpClient<Contracts.Rewards.IWithdrawalRequests, Withdrawals.RewardsWithdrawalRequests>(c => c.BaseAddress = new Uri(options.RewardsUrl));
        }

        builder.Services.AddAuthentication(ApiKeys.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeys.Scheme, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeys.CustomerRole, p => p.RequireRole(ApiKeys.CustomerRole))
            .AddPolicy(ApiKeys.ProviderRole, p => p.RequireRole(ApiKeys.ProviderRole))
            .AddPolicy(ApiKeys.AdminRole, p => p.RequireRole(ApiKeys.AdminRole))
            .AddPolicy(Withdrawals.WithdrawalsApi.WithdrawalPolicy, p => p.RequireRole(ApiKeys.CustomerRole, ApiKeys.ProviderRole));
        builder.Services.AddExceptionHandler<MarketplaceExceptionHandler>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var key = context.Request.Headers[ApiKeys.Header].ToString();
                var partition = key.Length > 0 ? "key:" + ApiKeys.Hash(key) : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RateLimitPermits,
                    Window = options.RateLimitWindow,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"At most {options.RateLimitPermits} requests per {options.RateLimitWindow.TotalSeconds} s per API key.",
                    },
                });
            };
        });

        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            builder.Services.AddOrleansSchema(connectionString);
        }

        // 0: a free loopback port of this process's choosing, so that replicas of one service need no port plan.
        options.SiloPort = options.SiloPort == 0 ? FreeLoopbackPort() : options.SiloPort;
        options.GatewayPort = options.GatewayPort == 0 ? FreeLoopbackPort() : options.GatewayPort;
        builder.UseOrleans(silo =>
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort);
                silo.AddMemoryGrainStorage(StorageName);
                silo.UseInMemoryReminderService();
            }
            else
            {
                silo.UsePostgres(connectionString, StorageName, options.SiloPort, options.GatewayPort, options.SiloAddress);
            }

            // host:pid, so that an admin can tell which process (which dashboard resource) a silo is.
            silo.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = $"{Environment.MachineName}:{Environment.ProcessId}");

            // Grain calls carry the caller's trace, so what a grain does (ledger calls, events) joins the request's trace:
            // with a span per grain call when Telemetry:GrainCallSpans is true, else the trace context alone.
            if (builder.Configuration.GetValue<bool>(ServiceDefaults.ServiceDefaultsExtensions.GrainCallSpansSetting))
            {
                silo.AddActivityPropagation();
            }
            else
            {
                silo.AddOutgoingGrainCallFilter<TraceContextFilters.Outgoing>();
                silo.AddIncomingGrainCallFilter<TraceContextFilters.Incoming>();
            }

            configureSilo?.Invoke(silo);
        });
        return builder;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Maps the REST API (/api/providers, /api/workers, /api/customers, /api/jobs, /api/admin) and, on a
    /// <see cref="WebApplication"/>, adds the rate limiter and the Dapr cloud-event middleware.
    /// </summary>
    public static IEndpointRouteBuilder MapMarketplaceApi(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints is WebApplication app)
        {
            // Explicit, so that they run after UseServiceDefaults' status code pages: 401/403 become problem details too.
            app.UseRateLimiter();
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseEventing();
        }

        endpoints.MapProvidersApi();
        endpoints.MapWorkersApi();
        endpoints.MapCustomersApi();
        endpoints.MapWithdrawalsApi();
        endpoints.MapJobsApi();
        endpoints.MapClusterApi();
        endpoints.MapCanariesApi();
        return endpoints;
    }

    /// <summary>
    /// Feeds the marketplace's section of the admin overview (<see cref="Admin.MarketplaceActivity"/>) from its events
    /// (/events/marketplace/activity/* with a Dapr sidecar). Only a host that serves the overview maps it: every event
    /// read costs a replica CPU, and a replica's counts would be its share of the events, not the platform's.
    /// </summary>
    public static IEndpointRouteBuilder MapMarketplaceActivity(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapTopic<JobFundedEvent>(MarketplaceTopics.JobFunded, "/events/marketplace/activity/job-funded", Activity<JobFundedEvent>((a, e) => a.OnFunded(e)));
        endpoints.MapTopic<JobRejectedEvent>(MarketplaceTopics.JobRejected, "/events/marketplace/activity/job-rejected", Activity<JobRejectedEvent>((a, e) => a.OnRejected(e)));
        endpoints.MapTopic<JobVerifiedEvent>(MarketplaceTopics.JobVerified, "/events/marketplace/activity/job-verified", Activity<JobVerifiedEvent>((a, e) => a.OnVerified(e)));
        endpoints.MapTopic<JobSettledEvent>(MarketplaceTopics.JobSettled, "/events/marketplace/activity/job-settled", Activity<JobSettledEvent>((a, e) => a.OnSettled(e)));
        endpoints.MapTopic<JobRefundedEvent>(MarketplaceTopics.JobRefunded, "/events/marketplace/activity/job-refunded", Activity<JobRefundedEvent>((a, e) => a.OnRefunded(e)));
        endpoints.MapTopic<WorkerUptimeEvent>(WorkerActivityTopics.WorkerUptime, "/events/marketplace/activity/worker-uptime", Activity<WorkerUptimeEvent>((a, e) => a.OnUptime(e)));
        endpoints.MapTopic<VerificationFailedEvent>(WorkerActivityTopics.VerificationFailed, "/events/marketplace/activity/verification-failed", Activity<VerificationFailedEvent>((a, e) => a.OnVerificationFailed(e)));
        return endpoints;
    }

    private static TopicHandler<TEvent> Activity<TEvent>(Action<Admin.MarketplaceActivity, TEvent> record)
        where TEvent : class =>
        (e, services, _) =>
        {
            record(services.GetRequiredService<Admin.MarketplaceActivity>(), e);
            return Task.CompletedTask;
        };
}
