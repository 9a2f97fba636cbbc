using System.Text;
using System.Text.Json;
using Depin.ServiceDefaults.Eventing.Redis;

namespace Depin.ServiceDefaults.Tests;

/// <summary>
/// The envelope against vectors written from Dapr's own code (components-contrib <c>pubsub/envelope.go</c>, the runtime's
/// publish path; see docs/dapr-redis-wire-format.md): what a sidecar writes, we read, and what we write has its bytes.
/// </summary>
public sealed class CloudEventEnvelopeTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    /// <summary>V1: a JSON publish through a sidecar (app id "marketplace", component "pubsub", topic "job-verified").</summary>
    private const string DaprJson =
        """{"data":{"jobId":"abc","units":5},"datacontenttype":"application/json","id":"5b9f3c1e-8a2d-4e6f-9c3b-1d2e3f4a5b6c","pubsubname":"pubsub","source":"marketplace","specversion":"1.0","time":"2026-08-21T21:08:09Z","topic":"job-verified","traceid":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","tracestate":"","type":"com.dapr.event.sent"}""";

    /// <summary>V2: the same payload published without a content type: Dapr stores it as a JSON string.</summary>
    private const string DaprText =
        """{"data":"{\"jobId\":\"abc\",\"units\":5}","datacontenttype":"text/plain","id":"5b9f3c1e-8a2d-4e6f-9c3b-1d2e3f4a5b6c","pubsubname":"pubsub","source":"marketplace","specversion":"1.0","time":"2026-08-21T21:08:09Z","topic":"job-verified","traceid":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","tracestate":"","type":"com.dapr.event.sent"}""";

    [Fact]
    public void Encoding_gives_the_bytes_a_Dapr_sidecar_writes()
    {
        var bytes = CloudEventEnvelope.Encode(
            "5b9f3c1e-8a2d-4e6f-9c3b-1d2e3f4a5b6c", "job-verified", "pubsub", "marketplace", new DateTimeOffset(2026, 8, 21, 21, 8, 9, 412, TimeSpan.Zero), TraceParent, null,
            """{"jobId":"abc","units":5}"""u8);

        Assert.Equal(DaprJson, Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void An_event_serialized_inline_gives_the_same_bytes_and_nothing_of_the_envelope_written_before_it()
    {
        // The writer and its buffer are reused on a thread: after a large envelope, and after one whose serialization
        // failed half-way, an envelope holds its own bytes only.
        var time = new DateTimeOffset(2026, 8, 21, 21, 8, 9, 412, TimeSpan.Zero);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var large = new { JobId = new string('x', 20_000), Units = 5 };
        var first = CloudEventEnvelope.Encode("big", "job-verified", "pubsub", "marketplace", time, TraceParent, "k=v", large, options);
        Assert.ThrowsAny<ArgumentException>(() => CloudEventEnvelope.Encode("bad", "job-verified", "pubsub", "marketplace", time, null, null, new { JobId = "abc", Units = double.NaN }, options));
        var second = CloudEventEnvelope.Encode(
            "5b9f3c1e-8a2d-4e6f-9c3b-1d2e3f4a5b6c", "job-verified", "pubsub", "marketplace", time, TraceParent, null, new { JobId = "abc", Units = 5 }, options);

        Assert.Equal(CloudEventEnvelope.Encode("big", "job-verified", "pubsub", "marketplace", time, TraceParent, "k=v", JsonSerializer.SerializeToUtf8Bytes(large, options)), first);
        Assert.Equal(DaprJson, Encoding.UTF8.GetString(second));
    }

    [Theory]
    [InlineData(DaprJson)]
    [InlineData(DaprText)]
    public void A_sidecars_envelope_is_read_with_its_data_id_and_trace_context(string envelope)
    {
        var decoded = CloudEventEnvelope.Decode(Encoding.UTF8.GetBytes(envelope), "job-verified");

        Assert.Equal("5b9f3c1e-8a2d-4e6f-9c3b-1d2e3f4a5b6c", decoded.Id);
        Assert.Equal(("job-verified", "pubsub", "marketplace"), (decoded.Topic, decoded.PubSubName, decoded.Source));
        Assert.Equal(TraceParent, decoded.TraceParent);
        Assert.Null(decoded.TraceState);
        using var data = JsonDocument.Parse(decoded.Data);
        Assert.Equal(("abc", 5), (data.RootElement.GetProperty("jobId").GetString(), data.RootElement.GetProperty("units").GetInt32()));
    }

    [Fact]
    public void Base64_data_and_a_raw_payload_are_read_too()
    {
        var base64 = CloudEventEnvelope.Decode(
            Encoding.UTF8.GetBytes("""{"data_base64":"eyJqb2JJZCI6ImFiYyJ9","datacontenttype":"application/octet-stream","id":"x","specversion":"1.0","type":"t"}"""), "job-verified");
        var raw = CloudEventEnvelope.Decode("""{"jobId":"abc"}"""u8.ToArray(), "job-verified");

        Assert.Equal("""{"jobId":"abc"}""", Encoding.UTF8.GetString(base64.Data.Span));
        Assert.Equal("""{"jobId":"abc"}""", Encoding.UTF8.GetString(raw.Data.Span));
        Assert.Null(raw.TraceParent);
    }
}
