using Depin.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Depin.Rewards.IntegrationTests.Support;

/// <summary>The real rewards host (in-process ledger in a temp directory + rewards) with test settings.</summary>
public sealed class RewardsHost(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key";

    private readonly TempDirectory _data = new();

    /// <summary>Settings with epoch 0 already ended (genesis 1 h 1 min ago, 1 h epochs) and no scheduler.</summary>
    public static Dictionary<string, string?> Defaults(DateTimeOffset? genesis = null) => new()
    {
        ["Rewards:Genesis"] = (genesis ?? DateTimeOffset.UtcNow.AddHours(-1).AddMinutes(-1)).ToString("O"),
        ["Rewards:EpochLength"] = "01:00:00",
        ["Rewards:InitialEmissionPerEpoch"] = "1000000",
        ["Rewards:AvailabilityBasisPoints"] = "4000",
        ["Rewards:AdminApiKey"] = AdminKey,
        ["Rewards:RunScheduler"] = "false",
        // These tests seed each epoch's work by hand (HostExtensions.Seed) rather than settling jobs on the ledger.
        ["Rewards:WorkUnitsFrom"] = "Events",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Ledger:DataDirectory", Path.Combine(_data.Path, "ledger"));
        foreach ((string key, string? value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }
}
