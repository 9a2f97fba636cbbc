using System.Data.Common;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Depin.ServiceDefaults.Tests;

/// <summary>A back end that did not answer is a 503 problem with Retry-After; any other failure stays a plain 500 problem.</summary>
public sealed class BackendUnavailableHandlerTests
{
    private sealed class CutConnection(bool transient) : DbException("the connection was cut")
    {
        public override bool IsTransient => transient;
    }

    [Theory]
    [InlineData("/cut", HttpStatusCode.ServiceUnavailable)]
    [InlineData("/wrapped", HttpStatusCode.ServiceUnavailable)]
    [InlineData("/constraint", HttpStatusCode.InternalServerError)]
    [InlineData("/bug", HttpStatusCode.InternalServerError)]
    public async Task Unavailable_back_ends_are_503_with_retry_after_and_everything_else_500(string path, HttpStatusCode expected)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.None);
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.UseServiceDefaults();
        app.MapGet("/cut", () => { throw new CutConnection(transient: true); });
        app.MapGet("/wrapped", () => { throw new InvalidOperationException("reading failed", new TimeoutException()); });
        app.MapGet("/constraint", () => { throw new CutConnection(transient: false); });
        app.MapGet("/bug", () => { throw new InvalidOperationException("a bug"); });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        using var response = await http.GetAsync(path);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(expected == HttpStatusCode.ServiceUnavailable, response.Headers.RetryAfter is not null);
        Assert.DoesNotContain("the connection was cut", problem.RootElement.GetRawText(), StringComparison.Ordinal);
    }
}
