using System.Net;
using System.Text;
using System.Text.Json;
using Depin.Contracts.Events;
using Depin.ServiceDefaults.Eventing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Depin.ServiceDefaults.Tests;

/// <summary>With a sidecar configured, topics are offered at /dapr/subscribe and their routes answer only the sidecar's token.</summary>
public sealed class DaprRoutesTests
{
    public sealed record Verified(string JobId, int Units);

    [Fact]
    public async Task Topic_routes_exist_with_a_sidecar_and_refuse_a_request_without_its_token()
    {
        var received = new List<Verified>();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["DAPR_HTTP_PORT"] = "3500", ["APP_API_TOKEN"] = "sidecar-token" });
        builder.AddEventing();
        await using var app = builder.Build();
        app.UseEventing();
        app.MapTopic<Verified>("marketplace.job-verified", "/events/test/job-verified", (e, _, _) =>
        {
            received.Add(e);
            return Task.CompletedTask;
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        using var subscriptions = JsonDocument.Parse(await http.GetStringAsync("/dapr/subscribe"));
        var body = """{"specversion":"1.0","type":"com.dapr.event.sent","id":"1","source":"marketplace","datacontenttype":"application/json","data":{"jobId":"abc","units":5}}""";
        using var anonymous = await http.PostAsync("/events/test/job-verified", new StringContent(body, Encoding.UTF8, "application/cloudevents+json"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events/test/job-verified") { Content = new StringContent(body, Encoding.UTF8, "application/cloudevents+json") };
        request.Headers.Add("dapr-api-token", "sidecar-token");
        using var sidecar = await http.SendAsync(request);
        await app.StopAsync();

        var subscription = Assert.Single(subscriptions.RootElement.EnumerateArray());
        Assert.Equal((PubSub.Name, "marketplace.job-verified"), (subscription.GetProperty("pubsubName").GetString(), subscription.GetProperty("topic").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sidecar.StatusCode);
        Assert.Equal([new Verified("abc", 5)], received);
    }
}
