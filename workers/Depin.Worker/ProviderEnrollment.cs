using System.Net.Http.Json;
using System.Text.Json;
using Depin.Chain;
using Depin.Contracts.Marketplace;
using Depin.Contracts.Rewards;
using Refit;

namespace Depin.Worker;

/// <summary>
/// A worker box's provider account from its wallet key file: registered once through the public provider flow (fetch a
/// challenge, sign it with EIP-191, register), then kept beside the key (0600) and reused while its API key still works.
/// Agents that share one key file (replicas of a pool) register once: the first holds a lock file while the others wait.
/// </summary>
public static class ProviderEnrollment
{
    /// <summary>The saved provider of <paramref name="walletKeyFile"/> (created with its key when missing), or a new registration.</summary>
    public static async Task<ProviderRegistration> LoadOrRegisterAsync(Uri marketplace, string walletKeyFile, string providerName, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(walletKeyFile))!;
        Directory.CreateDirectory(directory);
        await using var held = await LockAsync(Path.Combine(directory, "pool-provider.lock"), cancellationToken);
        var wallet = LocalKeyFile.LoadOrCreate(walletKeyFile);
        var file = Path.Combine(directory, "pool-provider.json");
        using var anonymous = new HttpClient { BaseAddress = marketplace, Timeout = TimeSpan.FromSeconds(30) };
        var delay = TimeSpan.FromMilliseconds(250);
        ProviderRegistration registration;
        while (true)
        {
            try
            {
                if (await LoadSavedAsync(anonymous, file, wallet, cancellationToken) is { } saved)
                {
                    return saved;
                }

                registration = await RegisterAsync(anonymous, providerName, wallet, cancellationToken);
                break;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && TransientFailure.Is(ex))
            {
                // The platform is starting or one of its back ends is down: a worker box waits for it rather than exiting.
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }

        var temporary = file + ".tmp";
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(temporary, create))
        {
            await JsonSerializer.SerializeAsync(stream, registration, cancellationToken: cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, file, overwrite: true);
        return registration;
    }

    /// <summary>The saved registration when its API key still works; null when there is none or the platform no longer knows it.</summary>
    private static async Task<ProviderRegistration?> LoadSavedAsync(HttpClient anonymous, string file, LocalKeyFile wallet, CancellationToken cancellationToken)
    {
        if (!File.Exists(file) || JsonSerializer.Deserialize<ProviderRegistration>(await File.ReadAllTextAsync(file, cancellationToken)) is not { } saved ||
            !string.Equals(saved.PayoutAddress, wallet.Address.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/providers/me");
        request.Headers.Add("X-Api-Key", saved.ApiKey);
        using var response = await anonymous.SendAsync(request, cancellationToken);
        if (TransientFailure.Is(response.StatusCode))
        {
            throw new HttpRequestException($"GET /api/providers/me answered {(int)response.StatusCode}", null, response.StatusCode);
        }

        return response.IsSuccessStatusCode ? saved : null;
    }

    /// <summary>Registers a provider the way a wallet owner does: fetch a challenge, sign it (EIP-191), register with the signature.</summary>
    public static async Task<ProviderRegistration> RegisterAsync(HttpClient anonymous, string name, LocalKeyFile wallet, CancellationToken cancellationToken)
    {
        var address = wallet.Address.ToString();
        using var response = await anonymous.PostAsJsonAsync("/api/wallets/challenges", new WalletChallengeRequest(address), cancellationToken);
        response.EnsureSuccessStatusCode();
        var challenge = (await response.Content.ReadFromJsonAsync<WalletChallengeDto>(cancellationToken))!;
        return await RestService.For<IMarketplaceApi>(anonymous)
            .RegisterProviderAsync(new RegisterProviderRequest(name, address, wallet.SignChallenge(challenge.Message)), cancellationToken);
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
