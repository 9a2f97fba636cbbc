using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;

namespace Depin.Marketplace.Persistence;

/// <summary>
/// Orleans on PostgreSQL through the official ADO.NET providers: membership (clustering), grain state and reminders.
/// The providers ship no SQL, so <see cref="SchemaScript"/> (infra/sql/orleans-postgres.sql, idempotent) is applied at
/// start-up, before the silo starts.
/// </summary>
public static partial class OrleansPostgres
{
    private const string Invariant = "Npgsql";

    /// <summary>The Orleans cluster and service id of the marketplace.</summary>
    public const string ClusterId = "depin";

    /// <summary>Grain state rows are keyed by this service id.</summary>
    public const string ServiceId = "depin-marketplace";

    /// <summary>Registers the schema migration (a hosted service that must run before the silo's) for <paramref name="connectionString"/>.</summary>
    public static IServiceCollection AddOrleansSchema(this IServiceCollection services, string connectionString) =>
        services.AddHostedService(sp => new SchemaMigration(connectionString, sp.GetRequiredService<ILogger<SchemaMigration>>()));

    /// <summary>Clustering, grain storage <paramref name="storageName"/> and reminders on PostgreSQL; the silo advertises <paramref name="advertisedAddress"/> (default loopback).</summary>
    public static ISiloBuilder UsePostgres(this ISiloBuilder silo, string connectionString, string storageName, int siloPort, int gatewayPort, string? advertisedAddress = null)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = ClusterId;
            o.ServiceId = ServiceId;
        });
        var advertised = string.IsNullOrWhiteSpace(advertisedAddress) ? IPAddress.Loopback : IPAddress.Parse(advertisedAddress);
        silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(storageName, o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        return silo;
    }

    /// <summary>The schema script, embedded from infra/sql.</summary>
    public static string SchemaScript()
    {
        using var stream = typeof(OrleansPostgres).Assembly.GetManifestResourceStream("Depin.Marketplace.orleans-postgres.sql")
            ?? throw new InvalidOperationException("The embedded Orleans schema script is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Applies <see cref="SchemaScript"/>; the script takes an advisory lock, so replicas starting together migrate once.</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(SchemaScript(), connection) { CommandTimeout = 120 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed partial class SchemaMigration(string connectionString, ILogger<SchemaMigration> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await MigrateAsync(connectionString, cancellationToken);
            LogMigrated(new NpgsqlConnectionStringBuilder(connectionString) { Password = null }.ToString());
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Orleans schema (clustering, grain state, reminders) is up to date on {Database}")]
        private partial void LogMigrated(string database);
    }
}
