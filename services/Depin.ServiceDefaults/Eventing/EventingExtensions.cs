using Dapr;
using Depin.Contracts.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Depin.ServiceDefaults.Eventing;

/// <summary>
/// Registers <see cref="IEventPublisher"/> and maps topic subscribers: through the Dapr sidecar when one is configured,
/// else over Redis Streams in Dapr's wire format when <c>ConnectionStrings:pubsub</c> names a Redis, else in process.
/// </summary>
public static class EventingExtensions
{
    private const string MappedKey = "Depin.Eventing.Mapped";

    /// <summary>The connection string naming the Redis used as the pub/sub broker when there is no sidecar.</summary>
    public const string PubSubConnectionName = "pubsub";

    /// <summary>True when a Dapr sidecar is configured (DAPR_HTTP_PORT or DAPR_GRPC_PORT set).</summary>
    public static bool HasDaprSidecar(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["DAPR_HTTP_PORT"]) || !string.IsNullOrWhiteSpace(configuration["DAPR_GRPC_PORT"]);

    /// <summary>Dapr publishing when a sidecar is configured, the <see cref="InProcessEventBus"/> otherwise. Safe to call twice.</summary>
    public static TBuilder AddEventing<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(IEventPublisher)))
        {
            return builder;
        }

        if (HasDaprSidecar(builder.Configuration))
        {
            builder.Services.AddDaprClient();
            builder.Services.TryAddSingleton<IEventPublisher, DaprEventPublisher>();
        }
        else if (builder.Configuration.GetConnectionString(PubSubConnectionName) is { Length: > 0 } redis)
        {
            builder.Services.Configure<Redis.RedisEventingOptions>(builder.Configuration.GetSection(Redis.RedisEventingOptions.Section));
            var appId = builder.Configuration[$"{Redis.RedisEventingOptions.Section}:AppId"] ?? builder.Configuration["APP_ID"] ?? builder.Environment.ApplicationName;
            builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<Redis.RedisStreamsEventBus>(sp, redis, appId));
            builder.Services.AddSingleton<IEventPublisher>(sp => sp.GetRequiredService<Redis.RedisStreamsEventBus>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<Redis.RedisStreamsEventBus>());
        }
        else
        {
            builder.Services.AddSingleton<InProcessEventBus>();
            builder.Services.AddSingleton<IEventPublisher>(sp => sp.GetRequiredService<InProcessEventBus>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<InProcessEventBus>());
        }

        return builder;
    }

    /// <summary>Cloud events middleware and the Dapr subscribe endpoint; does nothing the second time.</summary>
    public static WebApplication UseEventing(this WebApplication app)
    {
        if (((IApplicationBuilder)app).Properties.ContainsKey(MappedKey))
        {
            return app;
        }

        ((IApplicationBuilder)app).Properties[MappedKey] = true;
        app.UseCloudEvents();
        app.MapSubscribeHandler();
        return app;
    }

    /// <summary>
    /// Subscribes <paramref name="handler"/> to <paramref name="topic"/> on the transport in use: the Redis Streams bus or
    /// the in-process bus, or, when a Dapr sidecar is configured, a Dapr subscription at <paramref name="route"/> (POST,
    /// cloud event body). That route exists only with a sidecar, and when <c>APP_API_TOKEN</c> is set it answers only
    /// requests carrying it in <c>dapr-api-token</c>, so nobody else can post events to a service.
    /// </summary>
    public static void MapTopic<TEvent>(this IEndpointRouteBuilder endpoints, string topic, string route, TopicHandler<TEvent> handler)
        where TEvent : class
    {
        endpoints.ServiceProvider.GetService<InProcessEventBus>()?.Subscribe(topic, handler);
        endpoints.ServiceProvider.GetService<Redis.RedisStreamsEventBus>()?.Subscribe(topic, handler);
        var configuration = endpoints.ServiceProvider.GetRequiredService<IConfiguration>();
        if (!HasDaprSidecar(configuration))
        {
            return;
        }

        var token = configuration["APP_API_TOKEN"];
        endpoints.MapPost(route, async Task<IResult> (TEvent @event, HttpContext context) =>
            {
                if (!string.IsNullOrEmpty(token) && !string.Equals(context.Request.Headers["dapr-api-token"], token, StringComparison.Ordinal))
                {
                    return TypedResults.Unauthorized();
                }

                await handler(@event, context.RequestServices, context.RequestAborted);
                return TypedResults.Ok();
            })
            .WithTopic(PubSub.Name, topic)
            .ExcludeFromDescription();
    }
}
