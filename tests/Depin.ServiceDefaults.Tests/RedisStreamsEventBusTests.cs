using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Depin.ServiceDefaults.Eventing;
using Depin.ServiceDefaults.Eventing.Redis;
using Depin.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Depin.ServiceDefaults.Tests;

/// <summary>The Redis Streams transport against a real redis-server: delivery, consumer groups, redelivery, dead letters, trace context.</summary>
public sealed class RedisStreamsEventBusTests : IAsyncLifetime
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private readonly List<RedisStreamsEventBus> _buses = [];
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var bus in _buses)
        {
            await bus.StopAsync(CancellationToken.None);
            bus.Dispose();
        }

        await _redis.DisposeAsync();
    }

    public sealed record Verified(string JobId, int Units);

    private RedisStreamsEventBus Bus(
        string appId, Action<RedisStreamsEventBus>? subscribe = null, int maxDeliveries = 3, TimeSpan? pollInterval = null, TimeSpan? maxPollInterval = null,
        TimeSpan? trimInterval = null, long maxStreamLength = 1_000_000)
    {
        var options = Options.Create(new RedisEventingOptions
        {
            ProcessingTimeout = TimeSpan.FromMilliseconds(300),
            RedeliverInterval = TimeSpan.FromMilliseconds(100),
            MaxDeliveries = maxDeliveries,
            PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(10),
            MaxPollInterval = maxPollInterval ?? TimeSpan.FromSeconds(1),
            TrimInterval = trimInterval ?? TimeSpan.FromHours(1),
            MaxStreamLength = maxStreamLength,
        });
        var bus = new RedisStreamsEventBus(new ServiceCollection().BuildServiceProvider(), NullLogger<RedisStreamsEventBus>.Instance, options, _redis.ConnectionString, appId);
        subscribe?.Invoke(bus);
        _buses.Add(bus);
        return bus;
    }

    private static async Task Eventually(Func<bool> condition, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Each_app_gets_every_event_once_and_replicas_of_one_app_share_them()
    {
        var rewards = new ConcurrentBag<(int Replica, string Job)>();
        var audit = new ConcurrentBag<string>();
        // A replica busy with its read (up to 100 entries, each taking a while) leaves the rest to the other one.
        var replicas = Enumerable.Range(0, 2).Select(r => Bus("rewards", b => b.Subscribe<Verified>("job-verified", async (e, _, _) =>
        {
            rewards.Add((r, e.JobId));
            await Task.Delay(10);
        }))).ToArray();
        var auditor = Bus("audit", b => b.Subscribe<Verified>("job-verified", (e, _, _) =>
        {
            audit.Add(e.JobId);
            return Task.CompletedTask;
        }));
        foreach (var bus in replicas.Append(auditor))
        {
            await bus.StartAsync(CancellationToken.None);
        }

        var publisher = Bus("marketplace");
        var jobs = Enumerable.Range(0, 200).Select(i => "job-" + i).ToArray();
        await Task.WhenAll(jobs.Select(j => publisher.PublishAsync("job-verified", new Verified(j, 5))));

        await Eventually(() => rewards.Count >= jobs.Length && audit.Count >= jobs.Length);
        await Task.Delay(500);
        Assert.Equal(jobs.Order(), rewards.Select(r => r.Job).Order());
        Assert.Equal(jobs.Order(), audit.Order());
        Assert.Equal(2, rewards.Select(r => r.Replica).Distinct().Count());
        // Every handled event was acknowledged (reads are acknowledged together, one XACK per read).
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        Assert.Equal(0, (await redis.GetDatabase().StreamPendingAsync("job-verified", "rewards")).PendingMessageCount);
        Assert.Equal(0, (await redis.GetDatabase().StreamPendingAsync("job-verified", "audit")).PendingMessageCount);
    }

    [Fact]
    public async Task Trimming_removes_only_what_every_group_has_acknowledged()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var db = redis.GetDatabase();
        // "audit" exists but reads by hand below; "rewards" reads and acknowledges everything at once.
        await db.StreamCreateConsumerGroupAsync("trimmed", "audit", "0", createStream: true);
        var read = 0;
        var rewards = Bus("rewards", b => b.Subscribe<Verified>("trimmed", (_, _, _) =>
        {
            Interlocked.Increment(ref read);
            return Task.CompletedTask;
        }));
        await rewards.StartAsync(CancellationToken.None);
        var publisher = Bus("marketplace");
        for (var i = 0; i < 50; i++)
        {
            await publisher.PublishAsync("trimmed", new Verified("job-" + i, 1));
        }

        await Eventually(() => Volatile.Read(ref read) == 50 && db.StreamPending("trimmed", "rewards").PendingMessageCount == 0);
        var untouched = await publisher.TrimAsync("trimmed");
        var taken = await db.StreamReadGroupAsync("trimmed", "audit", "audit", StreamPosition.NewMessages, count: 30);
        await db.StreamAcknowledgeAsync("trimmed", "audit", [.. taken.Take(20).Select(e => e.Id)]);
        var uptoPending = await publisher.TrimAsync("trimmed");
        var lengthWithPending = await db.StreamLengthAsync("trimmed");
        await db.StreamAcknowledgeAsync("trimmed", "audit", [.. taken.Skip(20).Select(e => e.Id)]);
        var uptoDelivered = await publisher.TrimAsync("trimmed");

        Assert.Equal(0, untouched);
        Assert.Equal((20, 30), (uptoPending, lengthWithPending));
        // The last entry "audit" was given stays (the floor itself is kept), and the twenty it never read.
        Assert.Equal(9, uptoDelivered);
        Assert.Equal(21, await db.StreamLengthAsync("trimmed"));
        Assert.Equal(taken[^1].Id, (await db.StreamRangeAsync("trimmed", count: 1))[0].Id);
    }

    [Fact]
    public async Task A_stream_that_no_group_reads_is_kept_to_its_bound_and_publishers_trim_by_themselves()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var db = redis.GetDatabase();
        var publisher = Bus("marketplace", trimInterval: TimeSpan.FromMilliseconds(100), maxStreamLength: 10);
        await publisher.StartAsync(CancellationToken.None);
        for (var i = 0; i < 1_000; i++)
        {
            await publisher.PublishAsync("unread", new Verified("job-" + i, 1));
        }

        // Approximate: Redis drops whole nodes of its radix tree (100 entries each by default), never below the bound.
        await Eventually(() => db.StreamLength("unread") <= 110);
        Assert.True(await db.StreamLengthAsync("unread") >= 10);
    }

    [Fact]
    public async Task A_message_written_as_a_Dapr_sidecar_writes_it_is_delivered_with_its_trace_context()
    {
        var received = new TaskCompletionSource<(Verified Event, string? TraceId)>();
        var subscriber = Bus("rewards", b => b.Subscribe<Verified>("job-verified", (e, _, _) =>
        {
            received.TrySetResult((e, Activity.Current?.TraceId.ToString()));
            return Task.CompletedTask;
        }));
        using var listener = new ActivityListener { ShouldListenTo = s => s.Name == "Depin.Eventing", Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(listener);
        await subscriber.StartAsync(CancellationToken.None);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var envelope = CloudEventEnvelope.Encode("e-1", "job-verified", "pubsub", "marketplace", DateTimeOffset.UtcNow, TraceParent, null, """{"jobId":"abc","units":5}"""u8);
        await redis.GetDatabase().StreamAddAsync("job-verified", [new NameValueEntry("data", envelope), new NameValueEntry("metadata", "{}")]);

        var (@event, traceId) = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new Verified("abc", 5), @event);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", traceId);
        await Eventually(() => redis.GetDatabase().StreamPending("job-verified", "rewards").PendingMessageCount == 0);
    }

    [Fact]
    public async Task A_publish_wakes_an_idle_reader_at_once_instead_of_at_its_next_poll()
    {
        var received = new ConcurrentQueue<string>();
        var subscriber = Bus("rewards", b => b.Subscribe<Verified>("job-verified", (e, _, _) =>
        {
            received.Enqueue(e.JobId);
            return Task.CompletedTask;
        }), pollInterval: TimeSpan.FromSeconds(60), maxPollInterval: TimeSpan.FromSeconds(60));
        var publisher = Bus("marketplace");
        await subscriber.StartAsync(CancellationToken.None);

        // Each publish is read within seconds although the reader, idle after each read, would not poll again for a minute.
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(300);
            await publisher.PublishAsync("job-verified", new Verified($"job-{i}", 1));
            await Eventually(() => received.Count == i + 1, seconds: 10);
        }

        Assert.Equal(["job-0", "job-1", "job-2"], received);
    }

    [Fact]
    public async Task An_idle_reader_polls_less_and_less_often_and_still_reads_what_a_publisher_that_does_not_wake_it_writes()
    {
        var received = new TaskCompletionSource<Verified>();
        var subscriber = Bus("rewards", b => b.Subscribe<Verified>("job-verified", (e, _, _) =>
        {
            received.TrySetResult(e);
            return Task.CompletedTask;
        }), pollInterval: TimeSpan.FromMilliseconds(10), maxPollInterval: TimeSpan.FromMilliseconds(200));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        await subscriber.StartAsync(CancellationToken.None);
        await Task.Delay(500);

        // Polling every 10 ms would read ~200 times in 2 s; backing off to 200 ms, about 10.
        var before = await ReadGroupCallsAsync(server);
        await Task.Delay(2_000);
        var reads = await ReadGroupCallsAsync(server) - before;
        Assert.InRange(reads, 1, 30);

        // A Dapr sidecar appends without waking anyone: the next poll reads it.
        var envelope = CloudEventEnvelope.Encode("e-1", "job-verified", "pubsub", "marketplace", DateTimeOffset.UtcNow, null, null, """{"jobId":"abc","units":5}"""u8);
        await redis.GetDatabase().StreamAddAsync("job-verified", [new NameValueEntry("data", envelope)]);
        Assert.Equal(new Verified("abc", 5), await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<long> ReadGroupCallsAsync(IServer server)
    {
        var stats = (await server.InfoAsync("commandstats")).SelectMany(group => group).FirstOrDefault(p => p.Key == "cmdstat_xreadgroup").Value ?? "calls=0";
        return long.Parse(stats.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task What_we_publish_is_a_Dapr_envelope_under_data_on_the_topics_stream_carrying_the_publishers_trace()
    {
        using var listener = new ActivityListener { ShouldListenTo = s => s.Name == "Depin.Eventing", Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(listener);
        var publisher = Bus("marketplace");
        using var parent = new Activity("submit").SetIdFormat(ActivityIdFormat.W3C).Start();
        await publisher.PublishAsync("job-verified", new Verified("abc", 5));
        parent.Stop();

        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var entry = Assert.Single(await redis.GetDatabase().StreamRangeAsync("job-verified"));
        var envelope = CloudEventEnvelope.Decode((byte[])entry["data"]!, "job-verified");
        var json = Encoding.UTF8.GetString((byte[])entry["data"]!);
        Assert.StartsWith("""{"data":{"jobId":"abc","units":5},"datacontenttype":"application/json","id":""", json);
        Assert.Contains(""","pubsubname":"depin-pubsub","source":"marketplace","specversion":"1.0","time":""", json);
        Assert.EndsWith(""","type":"com.dapr.event.sent"}""", json);
        Assert.Equal(parent.TraceId.ToString(), ActivityContext.Parse(envelope.TraceParent!, null).TraceId.ToString());
    }

    [Fact]
    public async Task A_failing_handler_gets_the_event_again_after_the_processing_timeout()
    {
        var attempts = 0;
        var done = new TaskCompletionSource();
        var subscriber = Bus("rewards", b => b.Subscribe<Verified>("job-verified", (e, _, _) =>
        {
            if (Interlocked.Increment(ref attempts) < 3)
            {
                throw new InvalidOperationException("database down");
            }

            done.TrySetResult();
            return Task.CompletedTask;
        }));
        await subscriber.StartAsync(CancellationToken.None);
        await Bus("marketplace").PublishAsync("job-verified", new Verified("abc", 5));

        await done.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(3, attempts);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        await Eventually(() => redis.GetDatabase().StreamPending("job-verified", "rewards").PendingMessageCount == 0);
    }

    [Fact]
    public async Task An_event_that_always_fails_moves_to_the_dead_letter_stream_unchanged()
    {
        var attempts = 0;
        var subscriber = Bus("rewards", b => b.Subscribe<Verified>("job-verified", (_, _, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidOperationException("poison");
        }), maxDeliveries: 3);
        await subscriber.StartAsync(CancellationToken.None);
        await Bus("marketplace").PublishAsync("job-verified", new Verified("poison", 1));

        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var db = redis.GetDatabase();
        await Eventually(() => db.StreamLength(RedisEventingOptions.DeadLetterTopic("job-verified")) == 1, seconds: 15);
        await Eventually(() => db.StreamPending("job-verified", "rewards").PendingMessageCount == 0);
        Assert.Equal(3, attempts);
        var original = Assert.Single(await db.StreamRangeAsync("job-verified"));
        var dead = Assert.Single(await db.StreamRangeAsync(RedisEventingOptions.DeadLetterTopic("job-verified")));
        Assert.Equal((byte[])original["data"]!, (byte[])dead["data"]!);
    }

    [Fact]
    public async Task An_acknowledged_publish_survives_a_Redis_crash_and_is_delivered_after_it()
    {
        var publisher = Bus("marketplace");
        await publisher.PublishAsync("job-verified", new Verified("before-crash", 5));
        _redis.Kill();
        await _redis.RestartAsync();

        var received = new TaskCompletionSource<Verified>();
        var subscriber = Bus("rewards", b => b.Subscribe<Verified>("job-verified", (e, _, _) =>
        {
            received.TrySetResult(e);
            return Task.CompletedTask;
        }));
        await subscriber.StartAsync(CancellationToken.None);

        Assert.Equal(new Verified("before-crash", 5), await received.Task.WaitAsync(TimeSpan.FromSeconds(15)));
    }
}
