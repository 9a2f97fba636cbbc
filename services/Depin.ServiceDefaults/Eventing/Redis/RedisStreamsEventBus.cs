using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Depin.Contracts.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Depin.ServiceDefaults.Eventing.Redis;

/// <summary>
/// Pub/sub over Redis Streams, speaking the wire format of Dapr's Redis pub/sub component (<c>pubsub.redis</c>), so that a
/// service with a sidecar and one without share topics on the same Redis: a stream per topic, <c>XADD topic * data
/// &lt;CloudEvent&gt;</c>, a consumer group per app id (group and consumer named by it, created from id 0 with MKSTREAM),
/// <c>XREADGROUP … &gt;</c>, <c>XACK</c> once every handler of the topic succeeded. What stays pending longer than
/// <see cref="RedisEventingOptions.ProcessingTimeout"/> is claimed again (<c>XPENDING</c> + <c>XCLAIM</c>), and after
/// <see cref="RedisEventingOptions.MaxDeliveries"/> deliveries its envelope moves, unchanged, to <c>{topic}.dead-letter</c>.
/// Delivery is at least once; handlers are idempotent by event. The trace context travels in the envelope's traceparent.
/// Every <see cref="RedisEventingOptions.TrimInterval"/> a publisher trims its topics' streams to what some group has not
/// acknowledged yet, and every stream it writes to at most <see cref="RedisEventingOptions.MaxStreamLength"/> entries.
/// </summary>
public sealed partial class RedisStreamsEventBus : BackgroundService, IEventPublisher
{
    private static readonly ActivitySource Source = new("Depin.Eventing");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary><see cref="WakeChannel"/> by topic, made once.</summary>
    private static readonly ConcurrentDictionary<string, RedisChannel> WakeChannels = new();

    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly RedisEventingOptions _options;
    private readonly TimeProvider _time;
    private readonly string _appId;
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;
    private readonly ConcurrentDictionary<string, List<Func<ReadOnlyMemory<byte>, IServiceProvider, CancellationToken, Task>>> _handlers = new();
    private readonly ConcurrentDictionary<string, byte> _published = new();

    public RedisStreamsEventBus(IServiceProvider services, ILogger<RedisStreamsEventBus> logger, IOptions<RedisEventingOptions> options, string connectionString, string appId, TimeProvider? time = null)
    {
        _services = services;
        _logger = logger;
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _appId = appId;
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        _connection = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(configuration));
    }

    /// <summary>The consumer group this service reads with.</summary>
    public string AppId => _appId;

    /// <summary>Adds a handler of <paramref name="topic"/> (before the host starts).</summary>
    public void Subscribe<TEvent>(string topic, TopicHandler<TEvent> handler)
        where TEvent : class
    {
        var list = _handlers.GetOrAdd(topic, _ => []);
        lock (list)
        {
            list.Add((data, sp, ct) => handler(JsonSerializer.Deserialize<TEvent>(data.Span, Json) ?? throw new JsonException($"The event on {topic} is empty."), sp, ct));
        }
    }

    /// <summary>Appends the event to its topic's stream; returns once Redis has it (durable when Redis runs with AOF fsync).</summary>
    public async Task PublishAsync<TEvent>(string topic, TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(@event);
        using var activity = Source.StartActivity($"{topic} publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.destination.name", topic);
        _published.TryAdd(topic, 0);
        var id = Guid.NewGuid().ToString();
        var envelope = CloudEventEnvelope.Encode(id, topic, PubSub.Name, _appId, _time.GetUtcNow(), CloudEventEnvelope.CurrentTraceParent(), activity?.TraceStateString, @event, Json);
        activity?.SetTag("messaging.message.id", id);
        var redis = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await redis.GetDatabase().StreamAddAsync(topic, [new NameValueEntry("data", envelope)]).WaitAsync(cancellationToken).ConfigureAwait(false);

        // Wakes the topic's idle readers now rather than at their next poll (not waited for: a lost wake-up costs a poll).
        await redis.GetSubscriber().PublishAsync(WakeChannels.GetOrAdd(topic, WakeChannel), RedisValue.EmptyString, CommandFlags.FireAndForget).ConfigureAwait(false);
    }

    /// <summary>The pub/sub channel on which publishers announce new entries of <paramref name="topic"/> to idle readers.</summary>
    public static RedisChannel WakeChannel(string topic) => RedisChannel.Literal(topic + ".wake");

    public override void Dispose()
    {
        base.Dispose();
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            _connection.Value.Result.Dispose();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new List<Task>();
        foreach (var topic in _handlers.Keys)
        {
            loops.Add(ReadLoop(topic, stoppingToken));
            loops.Add(ReclaimLoop(topic, stoppingToken));
        }

        loops.Add(TrimLoop(stoppingToken));
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    /// <summary>
    /// Trims one stream: entries older than every consumer group's oldest pending entry and last delivered one (so
    /// acknowledged by all) go, then whatever exceeds <see cref="RedisEventingOptions.MaxStreamLength"/>. A stream without
    /// groups keeps its entries up to that bound. Returns how many entries went.
    /// </summary>
    public async Task<long> TrimAsync(string stream, CancellationToken cancellationToken = default)
    {
        var db = (await ConnectAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
        if (!await db.KeyExistsAsync(stream).ConfigureAwait(false))
        {
            return 0;
        }

        var removed = 0L;
        var groups = await db.StreamGroupInfoAsync(stream).ConfigureAwait(false);
        if (groups.Length > 0)
        {
            var floor = (Ms: long.MaxValue, Seq: long.MaxValue);
            foreach (var group in groups)
            {
                var own = ParseId(group.LastDeliveredId);
                if (group.PendingMessageCount > 0)
                {
                    var pending = await db.StreamPendingAsync(stream, group.Name).ConfigureAwait(false);
                    if (!pending.LowestPendingMessageId.IsNull)
                    {
                        own = Min(own, ParseId(pending.LowestPendingMessageId));
                    }
                }

                floor = Min(floor, own);
            }

            removed += await db.StreamTrimByMinIdAsync(stream, $"{floor.Ms}-{floor.Seq}").ConfigureAwait(false);
        }

        removed += await db.StreamTrimAsync(stream, _options.MaxStreamLength, useApproximateMaxLength: true).ConfigureAwait(false);
        return removed;

        static (long Ms, long Seq) ParseId(string? id)
        {
            var dash = id?.IndexOf('-', StringComparison.Ordinal) ?? -1;
            return dash > 0 && long.TryParse(id.AsSpan(0, dash), out var ms) && long.TryParse(id.AsSpan(dash + 1), out var seq) ? (ms, seq) : (0, 0);
        }

        static (long Ms, long Seq) Min((long Ms, long Seq) a, (long Ms, long Seq) b) => a.Ms < b.Ms || (a.Ms == b.Ms && a.Seq <= b.Seq) ? a : b;
    }

    /// <summary>Trims the streams of the topics this service published to, and the dead-letter streams of those it reads.</summary>
    private async Task TrimLoop(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.TrimInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var stream in _published.Keys.Concat(_handlers.Keys.Select(RedisEventingOptions.DeadLetterTopic)))
                {
                    try
                    {
                        await TrimAsync(stream, stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is RedisException or TimeoutException)
                    {
                        LogTrimFailed(stream, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken) =>
        await _connection.Value.WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Reads new entries while there are any. An empty read waits for a publisher's wake-up or, failing one (a publisher
    /// that does not announce, such as a Dapr sidecar, or a wake-up lost with a connection), for the poll interval, which
    /// doubles with every empty read up to <see cref="RedisEventingOptions.MaxPollInterval"/>: an idle service asks Redis
    /// about once a second per topic instead of fifty times.
    /// </summary>
    private async Task ReadLoop(string topic, CancellationToken stoppingToken)
    {
        var wake = new WakeSignal();
        var subscribed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var redis = await ConnectAsync(stoppingToken).ConfigureAwait(false);
                var db = redis.GetDatabase();
                await EnsureGroupAsync(db, topic).ConfigureAwait(false);
                if (!subscribed)
                {
                    // The client subscribes again by itself after a reconnect.
                    await redis.GetSubscriber().SubscribeAsync(WakeChannel(topic), (_, _) => wake.Set()).ConfigureAwait(false);
                    subscribed = true;
                }

                var idle = _options.PollInterval;
                while (!stoppingToken.IsCancellationRequested)
                {
                    // A wake-up that came before this read is spent by it: the read sees that entry.
                    wake.Reset();
                    var entries = await db.StreamReadGroupAsync(topic, _appId, _appId, StreamPosition.NewMessages, count: 100).ConfigureAwait(false);
                    if (entries.Length == 0)
                    {
                        await wake.WaitAsync(idle, stoppingToken).ConfigureAwait(false);
                        idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, Math.Max(_options.MaxPollInterval.Ticks, _options.PollInterval.Ticks)));
                        continue;
                    }

                    idle = _options.PollInterval;

                    // Handled entries are acknowledged together, once the whole read is through (one XACK, not one each).
                    var handled = new bool[entries.Length];
                    await Parallel.ForAsync(0, entries.Length, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = stoppingToken },
                        async (i, ct) => handled[i] = await HandleAsync(topic, entries[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
                    var acknowledged = entries.Where((_, i) => handled[i]).Select(e => e.Id).ToArray();
                    if (acknowledged.Length > 0)
                    {
                        await db.StreamAcknowledgeAsync(topic, _appId, acknowledged).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogReadFailed(topic, ex);
                await Pause(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Claims what stayed pending past the processing timeout and delivers it again, or dead-letters it.</summary>
    private async Task ReclaimLoop(string topic, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.RedeliverInterval, stoppingToken).ConfigureAwait(false);
                var db = (await ConnectAsync(stoppingToken).ConfigureAwait(false)).GetDatabase();
                var minIdle = (long)_options.ProcessingTimeout.TotalMilliseconds;
                var pending = await db.StreamPendingMessagesAsync(topic, _appId, 100, RedisValue.Null).ConfigureAwait(false);
                var idle = pending.Where(p => p.IdleTimeInMilliseconds >= minIdle).ToArray();
                if (idle.Length == 0)
                {
                    continue;
                }

                var claimed = await db.StreamClaimAsync(topic, _appId, _appId, minIdle, [.. idle.Select(p => p.MessageId)]).ConfigureAwait(false);
                var deliveries = idle.ToDictionary(p => p.MessageId.ToString(), p => p.DeliveryCount + 1);
                foreach (var entry in claimed)
                {
                    if (entry.IsNull)
                    {
                        continue;
                    }

                    if (deliveries.GetValueOrDefault(entry.Id.ToString()) > _options.MaxDeliveries)
                    {
                        await db.StreamAddAsync(RedisEventingOptions.DeadLetterTopic(topic), entry.Values).ConfigureAwait(false);
                        await db.StreamAcknowledgeAsync(topic, _appId, entry.Id).ConfigureAwait(false);
                        LogDeadLettered(topic, entry.Id.ToString(), _options.MaxDeliveries);
                        continue;
                    }

                    if (await HandleAsync(topic, entry, stoppingToken).ConfigureAwait(false))
                    {
                        await db.StreamAcknowledgeAsync(topic, _appId, entry.Id).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogReadFailed(topic, ex);
            }
        }
    }

    /// <summary>Runs the topic's handlers on one entry; true when it is done with (to acknowledge), false to leave it pending.</summary>
    private async ValueTask<bool> HandleAsync(string topic, StreamEntry entry, CancellationToken stoppingToken)
    {
        var data = entry["data"];
        var envelope = CloudEventEnvelope.Decode(data.IsNull ? ReadOnlyMemory<byte>.Empty : (byte[])data!, topic);
        ActivityContext.TryParse(envelope.TraceParent, envelope.TraceState, out var parent);
        using var activity = Source.StartActivity($"{topic} process", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.consumer.group.name", _appId);
        activity?.SetTag("messaging.message.id", envelope.Id);
        if (!_handlers.TryGetValue(topic, out var list))
        {
            return false;
        }

        Func<ReadOnlyMemory<byte>, IServiceProvider, CancellationToken, Task>[] handlers;
        lock (list)
        {
            handlers = [.. list];
        }

        try
        {
            foreach (var handler in handlers)
            {
                await using var scope = _services.CreateAsyncScope();
                await handler(envelope.Data, scope.ServiceProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex)
        {
            // Left pending: claimed again after the processing timeout, dead-lettered after the last delivery.
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            LogHandlerFailed(topic, entry.Id.ToString(), ex);
            return false;
        }

        return true;
    }

    private async Task EnsureGroupAsync(IDatabase db, string topic)
    {
        try
        {
            await db.StreamCreateConsumerGroupAsync(topic, _appId, "0", createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
        }
    }

    private static async Task Pause(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trimming the stream {Stream} failed; trying again at the next interval")]
    private partial void LogTrimFailed(string stream, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading {Topic} from Redis failed; retrying")]
    private partial void LogReadFailed(string topic, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handler of {Topic} failed on {MessageId}; it stays pending and is delivered again after the processing timeout")]
    private partial void LogHandlerFailed(string topic, string messageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Topic} message {MessageId} failed {Deliveries} deliveries; moved to the dead-letter stream")]
    private partial void LogDeadLettered(string topic, string messageId, int deliveries);
}
