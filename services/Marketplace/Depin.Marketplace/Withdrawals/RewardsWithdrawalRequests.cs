using System.Net;
using System.Net.Http.Json;
using Depin.Contracts.Rewards;
using Depin.ServiceDefaults.Security;

namespace Depin.Marketplace.Withdrawals;

/// <summary>
/// Withdrawals handed to the rewards service's bridge over HTTP (POST /api/bridge/withdrawals with the platform's admin
/// key). An unreachable or failing bridge is an exception (the caller gets 503): a withdrawal is never reported done
/// without the bridge's answer.
/// </summary>
public sealed class RewardsWithdrawalRequests(HttpClient http, AdminKey admin) : IWithdrawalRequests
{
    public async Task<WithdrawalDto> RequestAsync(WithdrawalRequestDto request, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/bridge/withdrawals") { Content = JsonContent.Create(request) };
        message.Headers.Add(AdminKey.HeaderName, admin.Value);
        using HttpResponseMessage response = await http.SendAsync(message, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ArgumentException($"Withdrawal {request.Id} exists with other terms.", nameof(request));
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The bridge answered {(int)response.StatusCode} to a withdrawal: {await response.Content.ReadAsStringAsync(cancellationToken)}", null, HttpStatusCode.ServiceUnavailable);
        }

        return (await response.Content.ReadFromJsonAsync<WithdrawalDto>(cancellationToken))!;
    }

    public async Task<WithdrawalDto?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await http.GetAsync($"/api/bridge/withdrawals/{Uri.EscapeDataString(id)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<WithdrawalDto>(cancellationToken);
    }
}
