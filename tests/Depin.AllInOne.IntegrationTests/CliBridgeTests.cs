using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Depin.Contracts.Marketplace;

namespace Depin.AllInOne.IntegrationTests;

/// <summary>The README's ways in and out, as a user types them: the depin CLI against the all-in-one host and its local anvil.</summary>
public sealed class CliBridgeTests : IAsyncLifetime
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
        var deposits = await _host.Http.GetFromJsonAsync<global::Depin.Contracts.Rewards.DepositListDto>($"/api/bridge/deposits?account={me.LedgerAddress}");

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

    [Fact]
    public async Task A_customer_withdraws_to_its_bound_wallet_and_claims_the_tokens_once()
    {
        string profile = Path.Combine(_host.Directory, "cli-profile-out.json");
        string funding = Path.Combine(_host.Directory, "cli-funding.json");
        string payout = Path.Combine(_host.Directory, "cli-payout.json");
        await Depin(profile, "customer", "register", "bob", "--url", _host.Http.BaseAddress!.ToString().TrimEnd('/'));
        await Depin(profile, "deposit", "3000000", "--test-tokens", "--key-file", funding);
        global::Depin.Chain.LocalKeyFile.LoadOrCreate(payout);
        (int bound, string binding) = await Depin(profile, "wallet", "bind", "--key-file", payout);
        (int withdrew, string withdrawal) = await Depin(profile, "withdraw", "1200000");
        string id = System.Text.RegularExpressions.Regex.Match(withdrawal, "depin claim ([0-9a-f-]{36})").Groups[1].Value;
        // The new payout wallet holds no ETH: the claim is refused with what to do, not a stack trace; --test-gas brings it.
        (int gasless, string refused) = await Depin(profile, "claim", id, "--key-file", payout);
        (int claimed, string claim) = await Depin(profile, "claim", id, "--key-file", payout, "--test-gas");
        (int again, string second) = await Depin(profile, "claim", id, "--key-file", payout);
        string apiKey = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(profile)).RootElement.GetProperty("ApiKey").GetString()!;
        CustomerView me = await _host.Api(apiKey).GetCustomerAsync();
        var state = await _host.Api(apiKey).GetWithdrawalAsync(id);
        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/ledger/accounts/0x0000000000000000000000000000000000000003") { Headers = { { "X-Api-Key", AllInOneHost.AdminKey } } };
        var bridge = await (await _host.Http.SendAsync(read)).Content.ReadFromJsonAsync<global::Depin.Contracts.Ledger.AccountDto>();

        Assert.True(bound == 0, binding);
        Assert.True(withdrew == 0, withdrawal);
        Assert.True(withdrawal.Contains("Claim it with: depin claim", StringComparison.Ordinal), withdrawal);
        Assert.Equal(1, gasless);
        Assert.Contains("cannot pay the transaction's gas", refused, StringComparison.Ordinal);
        Assert.Contains("--test-gas", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", refused, StringComparison.Ordinal);
        Assert.True(claimed == 0, claim);
        Assert.Contains("now holds 2200000000000000000 base units", claim, StringComparison.Ordinal); // 1 token from the faucet + 1.2 withdrawn
        Assert.NotEqual(0, again);
        Assert.Contains("claimed", second, StringComparison.Ordinal);
        Assert.Equal(1_800_000, me.Balance);
        Assert.Equal("claimed", state.Status);
        Assert.Equal(0, bridge!.Balance);
    }

    [Fact]
    public async Task Withdrawals_name_a_bad_amount_need_a_bound_wallet_and_stay_with_their_owner()
    {
        var alice = await _host.Api().RegisterCustomerAsync(new RegisterCustomerRequest("alice"));
        var (provider, _) = await _host.RegisterProviderAsync("rig");
        using var http = new HttpClient { BaseAddress = _host.Http.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", alice.ApiKey);

        using HttpResponseMessage zero = await http.PostAsJsonAsync("/api/withdrawals", new WithdrawRequest(0));
        using HttpResponseMessage unbound = await http.PostAsJsonAsync("/api/withdrawals", new WithdrawRequest(10));
        var refused = await Assert.ThrowsAnyAsync<Refit.ApiException>(() => provider.WithdrawAsync(new WithdrawRequest(10)));
        var withdrawal = await Refused(provider);
        using HttpResponseMessage foreign = await http.GetAsync($"/api/withdrawals/{withdrawal}");

        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Contains("\"amount\"", await zero.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, unbound.StatusCode);
        Assert.Equal("application/problem+json", unbound.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("insufficient-funds", refused.Content, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    /// <summary>A provider's withdrawal that the ledger refused (nothing to withdraw): its id, readable by the provider alone.</summary>
    private static async Task<string> Refused(IMarketplaceApi provider)
    {
        var again = await Assert.ThrowsAnyAsync<Refit.ApiException>(() => provider.WithdrawAsync(new WithdrawRequest(10, "same-key")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        var otherTerms = await Assert.ThrowsAnyAsync<Refit.ApiException>(() => provider.WithdrawAsync(new WithdrawRequest(11, "same-key")));
        Assert.Equal(HttpStatusCode.Conflict, otherTerms.StatusCode);
        string id = global::Depin.Marketplace.Infrastructure.LedgerIds.Withdrawal((await provider.GetProviderAsync()).ProviderId, "same-key");
        Assert.Equal("refused", (await provider.GetWithdrawalAsync(id)).Status);
        return id;
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
        // Spectre wraps lines at the width it guesses for a redirected console: compare text with whitespace folded.
        string text = System.Text.RegularExpressions.Regex.Replace($"{await output}{await error}", @"\s+", " ");
        return (process.ExitCode, $"depin {string.Join(' ', arguments)}: {text}");
    }
}
