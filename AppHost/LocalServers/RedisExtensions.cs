using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;

namespace Depin.AppHost.LocalServers;

/// <summary>
/// The pub/sub broker (Redis Streams, Dapr's wire format): <c>ConnectionStrings:{name}</c> when configured; a container when
/// a runtime answers; else the machine's <c>redis-server</c> on .data/redis with a generated password and AOF fsynced on
/// every write, so that a publish Redis acknowledged survives a Redis crash.
/// </summary>
internal static class RedisExtensions
{
    public static IResourceBuilder<IResourceWithConnectionString> AddPlatformRedis(this IDistributedApplicationBuilder builder, string name, string dataRoot, int port)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)))
        {
            return builder.AddConnectionString(name);
        }

        if (ContainerRuntime.IsHealthy())
        {
            return builder.AddRedis(name).WithDataVolume().WithPersistence();
        }

        var server = MachineTools.Which("redis-server") ?? throw new InvalidOperationException(
            "Services exchange events over Redis and none is configured or installed: install it (apt-get install redis-server) or set ConnectionStrings:pubsub.");
        var data = Path.Combine(dataRoot, "redis");
        Directory.CreateDirectory(data);
        var passwordFile = data + ".password";
        if (!File.Exists(passwordFile))
        {
            File.WriteAllText(passwordFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        var password = File.ReadAllText(passwordFile).Trim();
        var check = $"{name}-answers";
        builder.Services.AddHealthChecks().AddAsyncCheck(check, async cancellationToken =>
        {
            try
            {
                await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},password={password},connectTimeout=2000,abortConnect=true");
                await redis.GetDatabase().PingAsync();
                return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy();
            }
            catch (StackExchange.Redis.RedisException e)
            {
                return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy(e.Message);
            }
        });
        var resource = new LocalServerResource(name, server, data, r => ReferenceExpression.Create($"127.0.0.1:{r.Endpoint.Property(EndpointProperty.Port)},password={password}"));
        return builder.AddResource(resource)
            .WithArgs("--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", data,
                "--requirepass", password, "--appendonly", "yes", "--appendfsync", "always", "--save", "")
            .WithEndpoint(port: port, name: "tcp", scheme: "tcp", isProxied: false)
            .WithHealthCheck(check);
    }
}
