using System.Net.Http.Json;
using Depin.Contracts.Ledger;
using Depin.Testing;

namespace Depin.Ledger.IntegrationTests;

/// <summary>The real ledger host (depin-ledger) in a child process over a given data directory.</summary>
internal sealed class LedgerProcess : IAsyncDisposable
{
    /// <summary>The write credential the test ledger is started with (every program).</summary>
    public const string ServiceKey = "ledger-it-service-key";

    /// <summary>A credential limited to reward credits.</summary>
    public const string RewardsKey = "ledger-it-rewards-key";

    private readonly ChildHost _host;

    private LedgerProcess(ChildHost host) => _host = host;

    public HttpClient Http => _host.Http;

    public static async Task<LedgerProcess> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Ledger__DataDirectory"] = dataDirectory,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Ledger__GatewayApiKey"] = ServiceKey,
            ["Ledger__Credentials__rewards__ApiKey"] = RewardsKey,
            ["Ledger__Credentials__rewards__Programs__0"] = "reward-credit",
        };
        var host = await ChildHost.StartAsync("depin-ledger.dll", environment);
        host.Http.DefaultRequestHeaders.Add("X-Api-Key", ServiceKey);
        return new LedgerProcess(host);
    }

    public async Task<SubmitTransactionsResponse> SubmitAsync(params LedgerTransactionDto[] transactions)
    {
        using var response = await Http.PostAsJsonAsync("/api/ledger/transactions", new SubmitTransactionsRequest(transactions));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SubmitTransactionsResponse>())!;
    }

    public void Kill() => _host.Kill();

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
