using System.Buffers;
using System.Diagnostics;
using System.Text.Json;

namespace Depin.ServiceDefaults.Eventing.Redis;

/// <summary>
/// The CloudEvent 1.0 envelope as the Dapr runtime writes it before handing it to a pub/sub component
/// (components-contrib <c>pubsub/envelope.go</c>): keys in the order Go's encoder sorts them, <c>type</c>
/// "com.dapr.event.sent", <c>source</c> the app id, <c>traceid</c> and <c>traceparent</c> the same W3C value,
/// <c>tracestate</c> always present, <c>time</c> RFC 3339 to the second, JSON data inline.
/// </summary>
public readonly record struct CloudEventEnvelope(string Id, string Topic, string PubSubName, string Source, string? TraceParent, string? TraceState, ReadOnlyMemory<byte> Data)
{
    public const string EventType = "com.dapr.event.sent";

    /// <summary>Encodes the envelope with <paramref name="data"/> (JSON) inline.</summary>
    public static byte[] Encode(string id, string topic, string pubSubName, string source, DateTimeOffset time, string? traceParent, string? traceState, ReadOnlySpan<byte> data)
    {
        var (buffer, json) = Writer();
        json.WriteStartObject();
        json.WritePropertyName("data");
        json.WriteRawValue(data, skipInputValidation: false);
        return Finish(buffer, json, id, topic, pubSubName, source, time, traceParent, traceState);
    }

    /// <summary>
    /// Encodes the envelope with <paramref name="data"/> serialized inline (the bytes of serializing it first and passing
    /// those), into one array of the exact size.
    /// </summary>
    public static byte[] Encode<T>(string id, string topic, string pubSubName, string source, DateTimeOffset time, string? traceParent, string? traceState, T data, JsonSerializerOptions options)
    {
        var (buffer, json) = Writer();
        json.WriteStartObject();
        json.WritePropertyName("data");
        JsonSerializer.Serialize(json, data, options);
        return Finish(buffer, json, id, topic, pubSubName, source, time, traceParent, traceState);
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    /// <summary>This thread's buffer and writer, emptied: an envelope is written and copied out without awaiting in between.</summary>
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json) Writer()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(8192);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        return (buffer, json);
    }

    /// <summary>Writes the keys after <c>data</c> (in the order Go's encoder sorts them) and returns the envelope's bytes.</summary>
    private static byte[] Finish(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, string id, string topic, string pubSubName, string source, DateTimeOffset time, string? traceParent, string? traceState)
    {
        Span<char> stamp = stackalloc char[20];
        time.ToUniversalTime().TryFormat(stamp, out var length, "yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        json.WriteString("datacontenttype", "application/json");
        json.WriteString("id", id);
        json.WriteString("pubsubname", pubSubName);
        json.WriteString("source", source);
        json.WriteString("specversion", "1.0");
        json.WriteString("time", stamp[..length]);
        json.WriteString("topic", topic);
        json.WriteString("traceid", traceParent ?? string.Empty);
        json.WriteString("traceparent", traceParent ?? string.Empty);
        json.WriteString("tracestate", traceState ?? string.Empty);
        json.WriteString("type", EventType);
        json.WriteEndObject();
        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The W3C traceparent of the current activity, or null outside one.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null;

    /// <summary>
    /// Reads an envelope written by Dapr or by <see cref="Encode"/>: <c>data</c> (JSON inline, or a string for other
    /// content types) or <c>data_base64</c>. Bytes that are not a CloudEvent (a raw payload) come back as the data.
    /// </summary>
    public static CloudEventEnvelope Decode(ReadOnlyMemory<byte> bytes, string topic)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("specversion", out _))
            {
                return Raw(bytes, topic);
            }

            ReadOnlyMemory<byte> data = default;
            if (root.TryGetProperty("data_base64", out var base64) && base64.ValueKind == JsonValueKind.String)
            {
                data = base64.GetBytesFromBase64();
            }
            else if (root.TryGetProperty("data", out var inline))
            {
                data = inline.ValueKind == JsonValueKind.String && !IsJson(root)
                    ? System.Text.Encoding.UTF8.GetBytes(inline.GetString()!)
                    : System.Text.Encoding.UTF8.GetBytes(inline.GetRawText());
            }

            return new CloudEventEnvelope(
                Text(root, "id") ?? string.Empty,
                Text(root, "topic") ?? topic,
                Text(root, "pubsubname") ?? string.Empty,
                Text(root, "source") ?? string.Empty,
                NullIfEmpty(Text(root, "traceparent")) ?? NullIfEmpty(Text(root, "traceid")),
                NullIfEmpty(Text(root, "tracestate")),
                data);
        }
        catch (JsonException)
        {
            return Raw(bytes, topic);
        }
    }

    private static CloudEventEnvelope Raw(ReadOnlyMemory<byte> bytes, string topic) => new(string.Empty, topic, string.Empty, string.Empty, null, null, bytes);

    private static bool IsJson(JsonElement root) =>
        Text(root, "datacontenttype") is { } type && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
