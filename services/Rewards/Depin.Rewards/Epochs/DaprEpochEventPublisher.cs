using Dapr.Client;
using Depin.Contracts.Events;
using Depin.Contracts.Rewards;

namespace Depin.Rewards.Epochs;

/// <summary>Publishes <see cref="EpochClosedEvent"/> to Dapr pub/sub (<see cref="PubSub.Name"/>, <see cref="RewardsTopics.EpochClosed"/>) and to in-process subscribers.</summary>
public sealed class DaprEpochEventPublisher(DaprClient dapr, InProcessEpochEventPublisher local) : IEpochEventPublisher
{
    public async Task PublishAsync(EpochClosedEvent closed, CancellationToken cancellationToken = default)
    {
        await dapr.PublishEventAsync(PubSub.Name, RewardsTopics.EpochClosed, closed, cancellationToken).ConfigureAwait(false);
        await local.PublishAsync(closed, cancellationToken).ConfigureAwait(false);
    }
}
