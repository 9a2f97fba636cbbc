using Aspire.Hosting.ApplicationModel;

namespace Depin.AppHost.LocalServers;

/// <summary>
/// The Ethereum chain: <c>ConnectionStrings:{name}</c> (a JSON-RPC URL) when configured; else anvil from infra/chain's npm
/// install, its state kept in .data/chain between runs, with the contracts compiled (solc) when their artifacts are
/// missing. Null when there is neither: the platform then runs without a chain.
/// </summary>
internal static class ChainExtensions
{
    private static readonly string[] Contracts = ["RewardToken", "MerkleDistributor", "StateAnchor", "Vault"];

    private static string AddRpcCheck(IDistributedApplicationBuilder builder, string name, int port)
    {
        var check = $"{name}-answers-json-rpc";
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(3) };
        builder.Services.AddHealthChecks().AddAsyncCheck(check, async cancellationToken =>
        {
            try
            {
                using var response = await http.PostAsync("/", new StringContent("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}""", System.Text.Encoding.UTF8, "application/json"), cancellationToken);
                return response.IsSuccessStatusCode ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy() : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy($"{(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy(e.Message);
            }
        });
        return check;
    }

    public static IResourceBuilder<IResourceWithConnectionString>? AddPlatformChain(this IDistributedApplicationBuilder builder, string name, string root, string dataRoot, int port)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)))
        {
            return builder.AddConnectionString(name);
        }

        var chainDirectory = Path.Combine(root, "infra", "chain");
        var anvil = Path.Combine(chainDirectory, "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
        if (!File.Exists(anvil) || !builder.Configuration.GetValue("LocalChain:Enabled", true))
        {
            Console.WriteLine($"No local Ethereum chain ({anvil} not found): payout roots and ledger anchors stay off chain. To get one: (cd infra/chain && npm ci).");
            return null;
        }

        if (!Contracts.All(c => File.Exists(Path.Combine(chainDirectory, "build", c + ".json"))))
        {
            MachineTools.Require("node", ["compile.js"], chainDirectory);
        }

        var data = Path.Combine(dataRoot, "chain");
        Directory.CreateDirectory(data);
        var resource = new LocalServerResource(name, anvil, data, r => ReferenceExpression.Create($"http://127.0.0.1:{r.Endpoint.Property(EndpointProperty.Port)}"));
        return builder.AddResource(resource)
            .WithArgs("--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--state", Path.Combine(data, "anvil-state.json"), "--state-interval", "5")
            .WithEndpoint(port: port, name: "tcp", scheme: "http", isProxied: false)
            .WithHealthCheck(AddRpcCheck(builder, name, port));
    }
}
