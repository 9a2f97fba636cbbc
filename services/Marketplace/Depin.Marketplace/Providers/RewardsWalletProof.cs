using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Depin.Contracts.Rewards;

namespace Depin.Marketplace.Providers;

/// <summary>
/// The payout wallet proof checked by the rewards service, which issued the challenge: POST /api/wallets/verify with the
/// address and signature. A refusal comes back as its reason ("expired: ..."); an unreachable rewards service is an
/// exception (the registration fails with 503, it is never let through unproven).
/// </summary>
public sealed class RewardsWalletProof(HttpClient http) : IPayoutWalletProof
{
    public async ValueTask<string?> CheckAsync(string address, string signature, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("/api/wallets/verify", new WalletVerifyRequest(address, null, signature), cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            throw new HttpRequestException($"The rewards service answered {(int)response.StatusCode} to a wallet proof.", null, response.StatusCode);
        }

        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var reason = problem.RootElement.TryGetProperty("reason", out var r) ? r.GetString() : "refused";
        var detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        return detail is null ? reason : $"{reason}: {detail}";
    }
}
