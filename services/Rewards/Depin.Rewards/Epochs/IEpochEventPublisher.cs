using Depin.Contracts.Rewards;
using Depin.ServiceDefaults.Eventing;
using Microsoft.Extensions.Logging;

namespace Depin.Rewards.Epochs;

/// <summary>Publishes <see cref="EpochClosedEvent"/>. Delivery is at least once (a crash after publishing republishes); consumers key on the epoch.</summary>
public interface IEpochEventPublisher
{
    Task PublishAsync(EpochClosedEvent closed, CancellationToken cancellationToken = default);
}

/// <summary>In-process publisher: logs the event and raises <see cref="Published"/> for subscribers in the same host.</summary>
public sealed partial class InProcessEpochEventPublisher(ILogger<InProcessEpochEventPublisher> logger) : IEpochEventPublisher
{
    /// <summary>Raised after each publish, on the closing thread; handlers must be quick and must not throw.</summary>
    public event Action<EpochClosedEvent>? Published;

    public Task PublishAsync(EpochClosedEvent closed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(closed);
        LogClosed(closed.Epoch, closed.ProviderCount, closed.Distributed, closed.MerkleRoot);
        Published?.Invoke(closed);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch {Epoch} closed: {ProviderCount} providers, {Distributed} micro-credits, payout root {Root}")]
    private partial void LogClosed(long epoch, int providerCount, long distributed, string? root);
}

/// <summary>Publishes to the platform's pub/sub (<see cref="IEventPublisher"/>: Dapr with a sidecar, the in-process bus otherwise) on <see cref="RewardsTopics.EpochClosed"/>, and to in-process C# subscribers.</summary>
public sealed class PlatformEpochEventPublisher(IEventPublisher bus, InProcessEpochEventPublisher local) : IEpochEventPublisher
{
    public async Task PublishAsync(EpochClosedEvent closed, CancellationToken cancellationToken = default)
    {
        await bus.PublishAsync(RewardsTopics.EpochClosed, closed, cancellationToken).ConfigureAwait(false);
        await local.PublishAsync(closed, cancellationToken).ConfigureAwait(false);
    }
}
