namespace Depin.ServiceDefaults.Eventing.Redis;

/// <summary>
/// Pub/sub over Redis Streams in the wire format of Dapr's Redis pub/sub component, used when no sidecar is configured
/// and <c>ConnectionStrings:pubsub</c> names a Redis. Bound from the "Eventing" section.
/// </summary>
public sealed class RedisEventingOptions
{
    public const string Section = "Eventing";

    /// <summary>The consumer group (and consumer name) of this service: Dapr's consumerID, which defaults to the app id.</summary>
    public string? AppId { get; set; }

    /// <summary>How long a delivered message may stay unacknowledged before it is claimed again (Dapr's processingTimeout). Default 60 s.</summary>
    public TimeSpan ProcessingTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often pending messages are checked for redelivery (Dapr's redeliverInterval). Default 15 s.</summary>
    public TimeSpan RedeliverInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Deliveries of one message before it moves to the topic's dead-letter stream (<c>{topic}.dead-letter</c>). Default 10.</summary>
    public int MaxDeliveries { get; set; } = 10;

    /// <summary>
    /// How long a reader waits after a read that found nothing new, unless a publisher wakes it first; doubled with each
    /// further empty read up to <see cref="MaxPollInterval"/>. Default 20 ms.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The longest wait between two reads of an idle stream. Our publishers wake the readers at once; this bounds how late
    /// an entry from a publisher that does not (a Dapr sidecar) or a lost wake-up is read. Default 1 s.
    /// </summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a service trims the streams of the topics it publishes: the entries that every consumer group has
    /// acknowledged go (<c>XTRIM MINID</c>), unread and pending ones stay. Default 30 s.
    /// </summary>
    public TimeSpan TrimInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most entries a topic's stream and its dead-letter stream keep, read or not (<c>XTRIM MAXLEN ~</c>, Dapr's
    /// maxLenApprox): the bound for a topic that no group reads, or whose reader stopped for good. Default 1,000,000.
    /// </summary>
    public long MaxStreamLength { get; set; } = 1_000_000;

    public static string DeadLetterTopic(string topic) => topic + ".dead-letter";
}
