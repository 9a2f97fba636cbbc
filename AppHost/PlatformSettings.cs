using System.Security.Cryptography;

namespace Depin.AppHost;

/// <summary>The AppHost's own settings: where the repository and its .data/ are, the keys of this run, replicas, demo.</summary>
internal sealed class PlatformSettings
{
    /// <summary>anvil's first development account (public knowledge; only ever used against a local anvil).</summary>
    public const string AnvilDevelopmentKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    public required string Root { get; init; }

    public required string DataRoot { get; init; }

    public required string AdminKey { get; init; }

    public required string MarketplaceLedgerKey { get; init; }

    public required string RewardsLedgerKey { get; init; }

    public string? ChainSignerKey { get; init; }

    public int MarketplaceReplicas { get; init; } = 2;

    public int WorkerReplicas { get; init; } = 1;

    public bool Demo { get; init; }

    /// <summary>Rewards' epoch length when set (Platform:EpochLength); the demo's is 30 s.</summary>
    public string? EpochLength { get; init; }

    /// <summary>The marketplace's canary interval when set (Platform:CanaryInterval; "00:00:00" turns canaries off).</summary>
    public string? CanaryInterval { get; init; }

    /// <summary>The marketplace's requests per rate-limit window per API key when set (Platform:RateLimitPermits), e.g. for a load test.</summary>
    public string? RateLimitPermits { get; init; }

    /// <summary>
    /// The share of traces kept (Platform:TraceSampling, 0..1; default 1, every trace): below 1 each service samples by
    /// trace id at the entry point and follows its parent's decision after it, so a job is traced whole or not at all.
    /// </summary>
    public double TraceSampling { get; init; } = 1;

    /// <summary>
    /// The most new traces each service keeps a second (Platform:TracesPerSecond; default 5, 0 for no limit). The dashboard
    /// ingests a few hundred spans a second at most; beyond that exporters drop spans and traces arrive in pieces.
    /// </summary>
    public double TracesPerSecond { get; init; } = 5;

    private IConfiguration Configuration { get; init; } = null!;

    /// <summary>The loopback port of a local server: Platform:{Name}Port, else <paramref name="fallback"/>.</summary>
    public int Port(string name, int fallback) => Configuration.GetValue($"Platform:{name}Port", fallback);

    private static double NumberFrom(IConfiguration configuration, string key, double fallback, string lowest, double highest, string meaning) =>
        configuration[key] is not { } value ? fallback
        : double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= 0 && number <= highest ? number
        : throw new InvalidOperationException($"{key} must be a number from {lowest} to {highest.ToString(System.Globalization.CultureInfo.InvariantCulture)} ({meaning}), not '{value}'.");

    public static PlatformSettings From(IDistributedApplicationBuilder builder, string[] args)
    {
        var configuration = builder.Configuration;
        var root = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var dataRoot = Path.GetFullPath(configuration["Platform:DataDirectory"] ?? Path.Combine(root, ".data"));
        Directory.CreateDirectory(dataRoot);
        // The admin key: Parameters:admin-key when set; in Development the well-known dev key; else one per run, printed below.
        var adminKey = configuration["Parameters:admin-key"]
            ?? (builder.Environment.IsDevelopment() ? "dev-admin-key" : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
        var settings = new PlatformSettings
        {
            Root = root,
            DataRoot = dataRoot,
            AdminKey = adminKey,
            MarketplaceLedgerKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)),
            RewardsLedgerKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)),
            ChainSignerKey = configuration["Parameters:chain-signer-key"],
            MarketplaceReplicas = configuration.GetValue("Platform:MarketplaceReplicas", 2),
            WorkerReplicas = configuration.GetValue("Platform:WorkerReplicas", 1),
            Demo = args.Contains("--demo") || configuration.GetValue<bool>("Platform:Demo"),
            EpochLength = configuration["Platform:EpochLength"],
            CanaryInterval = configuration["Platform:CanaryInterval"],
            RateLimitPermits = configuration["Platform:RateLimitPermits"],
            TraceSampling = NumberFrom(configuration, "Platform:TraceSampling", 1, "0", 1, "the share of traces kept"),
            TracesPerSecond = NumberFrom(configuration, "Platform:TracesPerSecond", 5, "0 (no limit)", 1_000_000, "new traces kept per second by each service"),
            Configuration = configuration,
        };
        Console.WriteLine(
            $"""
            Depin Platform (Aspire AppHost): data in {dataRoot}
              Public entry point:  http://127.0.0.1:5080   (REST API docs: /scalar, OpenAPI: /openapi/(marketplace|ledger|rewards).json)
              Admin key:           {(adminKey == "dev-admin-key" ? "dev-admin-key (Development only)" : "Parameters:admin-key")}
              Aspire dashboard:    the login URL with its token follows below ("Login to the dashboard at ...")
            Try it:  dotnet run --project web/Depin.Cli -- customer register alice
                     dotnet run --project web/Depin.Cli -- fund 1000000000
                     dotnet run --project web/Depin.Cli -- job submit pow -p challenge=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff -p difficultyBits=12 --max-price 200000 --watch
            """);
        return settings;
    }
}
