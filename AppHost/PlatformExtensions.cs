namespace Depin.AppHost;

/// <summary>What every Depin service resource gets from the AppHost.</summary>
internal static class PlatformExtensions
{
    /// <summary>The admin key, the pub/sub broker (each service its own consumer group, named for the resource) and /health.</summary>
    public static IResourceBuilder<ProjectResource> WithPlatformDefaults(this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> adminKey, IResourceBuilder<IResourceWithConnectionString> pubsub) =>
        service
            .WithEnvironment("Admin__ApiKey", adminKey)
            .WithEnvironment("Eventing__AppId", service.Resource.Name)
            .WithReference(pubsub).WaitFor(pubsub)
            .WithHttpHealthCheck("/health");

    /// <summary>Epochs of seconds in the demo (rewards, payout roots and claims show up while you watch), or Platform:EpochLength.</summary>
    public static IResourceBuilder<ProjectResource> WithEpochs(this IResourceBuilder<ProjectResource> rewards, PlatformSettings platform)
    {
        if (platform.EpochLength is { } length)
        {
            rewards.WithEnvironment("Rewards__EpochLength", length);
        }
        else if (platform.Demo)
        {
            rewards.WithEnvironment("Rewards__EpochLength", "00:00:30").WithEnvironment("Rewards__Anchoring__EveryBlocks", "20");
        }

        return rewards;
    }

    /// <summary>Canary jobs at Platform:CanaryInterval when set, every minute in the demo, else at the marketplace's default.</summary>
    public static IResourceBuilder<ProjectResource> WithCanaries(this IResourceBuilder<ProjectResource> marketplace, PlatformSettings platform) =>
        (platform.CanaryInterval ?? (platform.Demo ? "00:01:00" : null)) is { } interval
            ? marketplace.WithEnvironment("Marketplace__CanaryInterval", interval)
            : marketplace;

    /// <summary>The requests per window each API key may make when Platform:RateLimitPermits is set, else the marketplace's default.</summary>
    public static IResourceBuilder<ProjectResource> WithRateLimit(this IResourceBuilder<ProjectResource> marketplace, PlatformSettings platform) =>
        platform.RateLimitPermits is { } permits ? marketplace.WithEnvironment("Marketplace__RateLimitPermits", permits) : marketplace;

    /// <summary>
    /// Head sampling where a trace starts (Platform:TraceSampling, the share kept by trace id; Platform:TracesPerSecond, the
    /// most new traces a service keeps a second); later spans follow their parent, so a job is traced whole or not at all.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTraceSampling(this IResourceBuilder<ProjectResource> service, PlatformSettings platform) =>
        service
            .WithEnvironment("Telemetry__TraceSampling", platform.TraceSampling.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Telemetry__TracesPerSecond", platform.TracesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Payout roots and ledger anchors on <paramref name="chain"/>; on a local anvil, rewards deploys its contracts.</summary>
    public static IResourceBuilder<ProjectResource> WithChain(this IResourceBuilder<ProjectResource> rewards, IResourceBuilder<IResourceWithConnectionString>? chain, PlatformSettings platform)
    {
        if (chain is null)
        {
            return rewards;
        }

        rewards.WithEnvironment("Rewards__Chain__RpcUrl", chain.Resource.ConnectionStringExpression).WaitFor(chain);
        if (chain.Resource is LocalServers.LocalServerResource)
        {
            rewards
                .WithEnvironment("Rewards__Chain__SignerPrivateKey", PlatformSettings.AnvilDevelopmentKey)
                .WithEnvironment("Rewards__Chain__DeployContracts", "true")
                .WithEnvironment("Rewards__Chain__ContractsFile", Path.Combine(platform.DataRoot, "chain", "contracts.json"));
        }
        else
        {
            rewards.WithEnvironment("Rewards__Chain__SignerPrivateKey", platform.ChainSignerKey ?? "");
        }

        return rewards;
    }
}
