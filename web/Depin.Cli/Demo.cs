using System.Text.Json;
using Depin.Contracts.Marketplace;
using Refit;
using Spectre.Console;

namespace Depin.Cli;

/// <summary>
/// <c>depin demo</c>: registers a customer of its own, funds it (the development faucet), and submits a small sample job
/// of every kernel kind at an interval, so that a newcomer sees jobs flow to settlement and the dashboards fill up.
/// </summary>
internal static class Demo
{
    private static readonly (string Kind, string Parameters)[] Samples =
    [
        ("matmul", """{"m":24,"n":24,"k":24,"seed":7}"""),
        ("mandelbrot", """{"width":48,"height":32,"centerX":-0.5,"centerY":0,"spanX":3,"maxIterations":64}"""),
        ("montecarlo", """{"optionType":"call","s0":100,"strike":100,"rate":0.01,"sigma":0.2,"maturity":1,"paths":4096,"steps":1,"seed":3,"pathsPerBlock":256}"""),
        ("pow", """{"challenge":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff","difficultyBits":10}"""),
    ];

    public static async Task<int> RunAsync(string url, TimeSpan interval, CancellationToken cancellationToken)
    {
        var customer = await RetryAsync(() => Client.For(url, null).RegisterCustomerAsync(new RegisterCustomerRequest("demo-customer"), cancellationToken), cancellationToken);
        var api = Client.For(url, customer.ApiKey);
        await api.FundAsync(new FundRequest(1_000_000_000), cancellationToken);
        AnsiConsole.MarkupLine($"Demo customer [green]{customer.CustomerId}[/] funded; a sample job every {interval.TotalSeconds:0.#} s (Ctrl+C stops)");
        for (var round = 0; !cancellationToken.IsCancellationRequested; round++)
        {
            var (kind, parameters) = Samples[round % Samples.Length];
            try
            {
                var job = await api.SubmitJobAsync(new SubmitJobRequest(kind, JsonDocument.Parse(parameters).RootElement, 200_000, DateTimeOffset.UtcNow.AddMinutes(5), Guid.NewGuid().ToString()), cancellationToken);
                AnsiConsole.MarkupLine($"submitted {kind} job {job.JobId}: {job.WorkUnits:N0} work units, escrow {job.Escrow:N0} micro-credits");
            }
            catch (ApiException error)
            {
                AnsiConsole.MarkupLine($"[yellow]{kind} job refused[/] {Markup.Escape(Client.Describe(error))}");
            }
            catch (HttpRequestException error)
            {
                AnsiConsole.MarkupLine($"[yellow]{kind} job not sent[/] {Markup.Escape(error.Message)}");
            }

            try
            {
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return 0;
    }

    /// <summary>The platform may still be starting: retry for a minute.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is HttpRequestException or ApiException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1_000, cancellationToken);
            }
        }
    }
}
