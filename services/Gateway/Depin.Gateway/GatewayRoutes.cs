using Yarp.ReverseProxy.Configuration;

namespace Depin.Gateway;

/// <summary>
/// The platform's public surface and nothing else: the marketplace API, the ledger's read routes (never its write
/// route), rewards, wallets and the deposit bridge, the Hangfire dashboard (admin key, checked by the rewards service), and each service's
/// OpenAPI document at <c>/openapi/{service}.json</c>. Services are found by name through service discovery.
/// </summary>
public static class GatewayRoutes
{
    public const string Marketplace = "marketplace";
    public const string Ledger = "ledger";
    public const string Rewards = "rewards";

    public static IReadOnlyList<RouteConfig> Routes { get; } =
    [
        Route("customers", Marketplace, "/api/customers/{**rest}"),
        Route("providers", Marketplace, "/api/providers/{**rest}"),
        Route("workers", Marketplace, "/api/workers/{**rest}"),
        Route("jobs", Marketplace, "/api/jobs/{**rest}"),
        Route("withdrawals", Marketplace, "/api/withdrawals/{**rest}"),
        Route("admin", Marketplace, "/api/admin/{**rest}"),
        Route("ledger-reads", Ledger, "/api/ledger/{**rest}", methods: ["GET", "HEAD"]),
        Route("rewards", Rewards, "/api/rewards/{**rest}"),
        Route("wallets", Rewards, "/api/wallets/{**rest}"),
        Route("bridge", Rewards, "/api/bridge/{**rest}"),
        Route("hangfire", Rewards, "/hangfire/{**rest}"),
        OpenApi(Marketplace),
        OpenApi(Ledger),
        OpenApi(Rewards),
    ];

    public static IReadOnlyList<ClusterConfig> Clusters { get; } = [Cluster(Marketplace), Cluster(Ledger), Cluster(Rewards)];

    private static RouteConfig Route(string id, string cluster, string path, IReadOnlyList<string>? methods = null) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = path, Methods = methods },
    };

    private static RouteConfig OpenApi(string service) => new()
    {
        RouteId = "openapi-" + service,
        ClusterId = service,
        Match = new RouteMatch { Path = $"/openapi/{service}.json", Methods = ["GET"] },
        Transforms = [new Dictionary<string, string> { ["PathSet"] = "/openapi/v1.json" }],
    };

    private static ClusterConfig Cluster(string service) => new()
    {
        ClusterId = service,
        Destinations = new Dictionary<string, DestinationConfig> { [service] = new() { Address = $"http://{service}" } },
        HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(60) },
    };
}
