using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Depin.ServiceDefaults.Eventing;

/// <summary>
/// Pub/sub inside one process, for hosts without a Dapr sidecar. Publishing only queues the event, so a publisher
/// (an Orleans grain, say) never waits on its subscribers; a background loop delivers each event to every handler of
/// its topic in a fresh DI scope, retrying a failing handler with backoff like a Dapr sidecar would.
/// </summary>
public sealed partial class InProcessEventBus(IServiceProvider services, ILogger<InProcessEventBus> logger)
    : BackgroundService, IEventPublisher
{
    private readonly Channel<(string Topic, object Event)> _queue = Channel.CreateUnbounded<(string, object)>();
    private readonly ConcurrentDictionary<string, List<Func<object, IServiceProvider, CancellationToken, Task>>> _handlers = new();

    /// <summary>Attempts per handler before an event is dropped (logged). Default 8, backoff 50 ms doubling.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Adds a subscriber of <paramref name="topic"/>.</summary>
    public void Subscribe<TEvent>(string topic, TopicHandler<TEvent> handler)
        where TEvent : class
    {
        var list = _handlers.GetOrAdd(topic, _ => []);
        lock (list)
        {
            list.Add((e, sp, ct) => handler((TEvent)e, sp, ct));
        }
    }

    public Task PublishAsync<TEvent>(string topic, TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(@event);
        _queue.Writer.TryWrite((topic, @event));
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (topic, @event) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            if (!_handlers.TryGetValue(topic, out var list))
            {
                continue;
            }

            Func<object, IServiceProvider, CancellationToken, Task>[] handlers;
            lock (list)
            {
                handlers = [.. list];
            }

            foreach (var handler in handlers)
            {
                // Each delivery runs on its own so one slow subscriber does not hold up the others.
                _ = DeliverAsync(topic, @event, handler, stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(string topic, object @event, Func<object, IServiceProvider, CancellationToken, Task> handler, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                await handler(@event, scope.ServiceProvider, stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (attempt < MaxAttempts)
            {
                LogRetry(topic, attempt, ex);
            }
            catch (Exception ex)
            {
                LogDropped(topic, attempt, ex);
                return;
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay *= 2;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handler of {Topic} failed (attempt {Attempt}); retrying")]
    private partial void LogRetry(string topic, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler of {Topic} failed {Attempt} times; event dropped")]
    private partial void LogDropped(string topic, int attempt, Exception exception);
}
