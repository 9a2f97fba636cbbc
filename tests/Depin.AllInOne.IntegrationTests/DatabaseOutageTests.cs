using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Depin.Contracts.Marketplace;
using Xunit.Abstractions;

namespace Depin.AllInOne.IntegrationTests;

/// <summary>The platform's PostgreSQL stops for about 5 s under load: requests that need it get 503 problems, none a 500, and the platform recovers by itself.</summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly AllInOneHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Requests_during_a_database_outage_get_503_problems_and_the_platform_recovers_by_itself()
    {
        var before = await _host.Api().RegisterCustomerAsync(new RegisterCustomerRequest("before-outage"));
        var statuses = new List<HttpStatusCode>();

        await PgCtl("-m", "fast", "-w", "stop");
        var outage = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = _host.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        while (outage.Elapsed < TimeSpan.FromSeconds(5))
        {
            using var response = await PostDuringOutage(http);
            statuses.Add(response.StatusCode);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }

            await Task.Delay(100);
        }

        var port = _host.PostgresPort;
        await PgCtl("-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {_host.PostgresDirectory}", "-l", Path.Combine(_host.PostgresDirectory, "server.log"), "-w", "start");
        output.WriteLine($"during the outage: {string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{(int)g.Key} x{g.Count()}"))}");

        var after = await Retry(() => _host.Api().RegisterCustomerAsync(new RegisterCustomerRequest("after-outage")));
        var me = await Retry(() => _host.Api(before.ApiKey).GetCustomerAsync());

        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
        Assert.Equal(before.CustomerId, me.CustomerId);
        Assert.StartsWith("cus_", after.CustomerId, StringComparison.Ordinal);
    }

    /// <summary>A refused connection means the host died of the outage: its output says why.</summary>
    private async Task<HttpResponseMessage> PostDuringOutage(HttpClient http)
    {
        try
        {
            return await http.PostAsync("/api/customers", new StringContent("""{"name":"during-outage"}""", System.Text.Encoding.UTF8, "application/json"));
        }
        catch (HttpRequestException ex)
        {
            var log = _host.Output;
            throw new Xunit.Sdk.XunitException($"The host stopped answering during the outage ({ex.Message}); its output ends with:\n{log[Math.Max(0, log.Length - 6000)..]}");
        }
    }

    private static async Task<T> Retry<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Refit.ApiException ex) when (ex.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    private async Task PgCtl(params string[] arguments)
    {
        var pgCtl = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_ctl")).First(File.Exists);
        var start = new ProcessStartInfo(Environment.IsPrivilegedProcess ? "runuser" : pgCtl) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in Environment.IsPrivilegedProcess ? ["-u", "postgres", "--", pgCtl, "-D", _host.PostgresDirectory, .. arguments] : new[] { "-D", _host.PostgresDirectory }.Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pg_ctl {string.Join(' ', arguments)}: {await error}");
    }
}
