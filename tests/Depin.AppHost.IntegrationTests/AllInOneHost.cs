using Depin.Testing;

namespace Depin.AppHost.IntegrationTests;

/// <summary>The real all-in-one host (depin-apphost) in a child process on free loopback ports, with its own data directory.</summary>
public sealed class AllInOneHost : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key";

    private ChildHost? _host;
    private string _directory = "";

    public HttpClient Http => _host!.Http;

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("depin-apphost-it-").FullName;
        _host = await ChildHost.StartAsync(
            "depin-apphost.dll",
            new Dictionary<string, string>
            {
                ["Ledger__DataDirectory"] = Path.Combine(_directory, "ledger"),
                ["Marketplace__ResultsDirectory"] = Path.Combine(_directory, "results"),
                ["Marketplace__SiloPort"] = ChildHost.FreePort().ToString(),
                ["Marketplace__GatewayPort"] = ChildHost.FreePort().ToString(),
                ["Marketplace__AdminApiKey"] = AdminKey,
                ["Dashboard__AdminApiKey"] = AdminKey,
                ["LocalChain__Enabled"] = "false",
                ["Pool__WalletKeyFile"] = Path.Combine(_directory, "pool-wallet.json"),
            },
            workingDirectory: _directory);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
