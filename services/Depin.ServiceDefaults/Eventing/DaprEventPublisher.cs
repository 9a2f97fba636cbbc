using Dapr.Client;
using Depin.Contracts.Events;

namespace Depin.ServiceDefaults.Eventing;

/// <summary>Publishes through the Dapr sidecar to the <see cref="PubSub.Name"/> component.</summary>
internal sealed class DaprEventPublisher(DaprClient dapr) : IEventPublisher
{
    public Task PublishAsync<TEvent>(string topic, TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class =>
        dapr.PublishEventAsync(PubSub.Name, topic, @event, cancellationToken);
}
