using System.Diagnostics;
using System.Net.Http.Json;
using Depin.Contracts.Marketplace;

namespace Depin.AllInOne.IntegrationTests;

/// <summary>The README's way in, as a user types it: the depin CLI deposits tokens on the host's local anvil and the ledger credits them.</summary>
public sealed class CliDepositTests : IAsyncLifetime
{
    private readonly AllInOneHost _host = new(new Dictionary<string, string>
    {
        ["LocalChain__Enabled"] = "true",
        ["Demo"] = "true",
        ["Pool__Enabled"] = "false",
    });

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_customer_deposits_tokens_from_its_wallet_with_the_cli_and_is_credited_once()
    {
        string profile = Path.Combine(_host.Directory, "cli-profile.json");
        string wallet = Path.Combine(_host.Directory, "cli-wallet.json");

        (int registered, string registration) = await Depin(profile, "customer", "register", "alice", "--url", _host.Http.BaseAddress!.ToString().TrimEnd('/'));
        (int deposited, string deposit) = await Depin(profile, "deposit", "2500000", "--test-tokens", "--key-file", wallet);
        (int balanced, string balance) = await Depin(profile, "balance");
        string apiKey = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(profile)).RootElement.GetProperty("ApiKey").GetString()!;
        CustomerView me = await _host.Api(apiKey).GetCustomerAsync();
        var deposits = await _host.Http.GetFromJsonAsync<Depin.Contracts.Rewards.DepositListDto>($"/api/bridge/deposits?account={me.LedgerAddress}");

        Assert.True(registered == 0, registration);
        Assert.True(deposited == 0, deposit);
        Assert.Contains("credited at ledger height", deposit, StringComparison.Ordinal);
        Assert.True(balanced == 0, balance);
        Assert.Contains("2,500,000", balance, StringComparison.Ordinal);
        Assert.Equal(2_500_000, me.Balance);
        var credited = Assert.Single(deposits!.Deposits);
        Assert.Equal("credited", credited.Status);
        Assert.Equal(2_500_000, credited.MicroCredits);
    }

    private static async Task<(int ExitCode, string Output)> Depin(string profile, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "depin.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DEPIN_PROFILE"] = profile, ["COLUMNS"] = "200" },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, $"depin {string.Join(' ', arguments)}: {await output}{await error}");
    }
}
