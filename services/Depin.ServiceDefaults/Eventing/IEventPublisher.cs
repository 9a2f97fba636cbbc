namespace Depin.ServiceDefaults.Eventing;

/// <summary>Publishes integration events to a pub/sub topic: Dapr when a sidecar is configured, an in-process bus otherwise.</summary>
public interface IEventPublisher
{
    /// <summary>Queues <paramref name="event"/> for delivery to <paramref name="topic"/>; subscribers receive it at least once.</summary>
    Task PublishAsync<TEvent>(string topic, TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class;
}

/// <summary>A topic subscriber: the event, a scoped service provider, cancellation.</summary>
public delegate Task TopicHandler<in TEvent>(TEvent @event, IServiceProvider services, CancellationToken cancellationToken);
