using Depin.Contracts.Marketplace;
using Depin.Contracts.Rewards;
using Refit;

namespace Depin.Cli;

/// <summary>The typed marketplace client for a profile.</summary>
internal static class Client
{
    public static IMarketplaceApi For(string url, string? apiKey)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        if (!string.IsNullOrEmpty(apiKey))
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return RestService.For<IMarketplaceApi>(http);
    }

    /// <summary>The wallet-challenge endpoints (served by the rewards service).</summary>
    public static IWalletsApi Wallets(string url) => RestService.For<IWalletsApi>(new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) });

    /// <summary>The deposit bridge (served by the rewards service).</summary>
    public static IBridgeApi Bridge(string url) => RestService.For<IBridgeApi>(new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) });

    /// <summary>A readable line for a failed call: the problem's title/detail, else the status.</summary>
    public static string Describe(ApiException error) =>
        string.IsNullOrWhiteSpace(error.Content) ? $"{(int)error.StatusCode} {error.ReasonPhrase}" : $"{(int)error.StatusCode}: {error.Content}";
}

/// <summary>Wallet challenges over REST.</summary>
public interface IWalletsApi
{
    [Post("/api/wallets/challenges")]
    Task<WalletChallengeDto> IssueChallengeAsync([Body] WalletChallengeRequest request, CancellationToken cancellationToken = default);
}

/// <summary>The deposit bridge over REST.</summary>
public interface IBridgeApi
{
    [Get("/api/bridge")]
    Task<BridgeInfoDto> GetInfoAsync(CancellationToken cancellationToken = default);

    [Get("/api/bridge/deposits/{transactionHash}")]
    Task<DepositListDto> GetDepositsAsync(string transactionHash, CancellationToken cancellationToken = default);

    [Post("/api/bridge/dev/fund")]
    Task<DevFundDto> DevFundAsync([Body] DevFundRequest request, CancellationToken cancellationToken = default);
}
