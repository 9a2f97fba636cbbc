using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Npgsql;

namespace Depin.AppHost.LocalServers;

/// <summary>
/// The platform's PostgreSQL, in this order: <c>ConnectionStrings:{name}</c> when configured (an existing server); a
/// container when a container runtime answers; else the machine's PostgreSQL binaries on .data/postgres (initialised on
/// first start with a random password kept beside it, run as the postgres user when the AppHost is root, fsync on).
/// </summary>
internal static class PostgresExtensions
{
    private const string Database = "depin";

    public static IResourceBuilder<IResourceWithConnectionString> AddPlatformPostgres(this IDistributedApplicationBuilder builder, string name, string dataRoot, int port)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)))
        {
            return builder.AddConnectionString(name);
        }

        if (ContainerRuntime.IsHealthy())
        {
            return builder.AddPostgres($"{name}-server").WithDataVolume().AddDatabase(name, Database);
        }

        var binaries = FindBinaries() ?? throw new InvalidOperationException(
            "The platform keeps its state in PostgreSQL and none is configured or installed: install PostgreSQL (apt-get install postgresql) or set ConnectionStrings:postgres.");
        var data = Path.Combine(dataRoot, "postgres");
        var password = Initialize(binaries, data);
        var server = Path.Combine(binaries, "postgres");
        var serverArgs = new[] { "-D", data, "-c", "listen_addresses=127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", data, "-c", "fsync=on", "-c", "synchronous_commit=on" };
        var resource = new LocalServerResource(name, MachineTools.AsRoot ? "runuser" : server, dataRoot, r => ReferenceExpression.Create(
            $"Host=127.0.0.1;Port={r.Endpoint.Property(EndpointProperty.Port)};Username=postgres;Password={password};Database={Database}"));
        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database={Database};Timeout=3";
        var check = $"{name}-accepts-connections";
        builder.Services.AddHealthChecks().AddAsyncCheck(check, async cancellationToken =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy(e.Message);
            }
        });
        return builder.AddResource(resource)
            .WithArgs(MachineTools.AsRoot ? ["-u", "postgres", "--", server, .. serverArgs] : serverArgs)
            .WithEndpoint(port: port, name: "tcp", scheme: "tcp", isProxied: false)
            .WithHealthCheck(check);
    }

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        return !Directory.Exists(root) ? null : Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "postgres")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    /// <summary>
    /// initdb and the database on first start; a server a killed run left on the directory is stopped, so that this run's
    /// resource owns it (PostgreSQL clears a stale postmaster.pid itself).
    /// </summary>
    private static string Initialize(string binaries, string data)
    {
        var passwordFile = data + ".password";
        var pgctl = Path.Combine(binaries, "pg_ctl");
        if (File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            if (MachineTools.Run(pgctl, ["-D", data, "status"], asPostgres: true).ExitCode == 0)
            {
                MachineTools.Run(pgctl, ["-D", data, "-m", "fast", "-w", "stop"], asPostgres: true);
            }

            return File.Exists(passwordFile)
                ? File.ReadAllText(passwordFile).Trim()
                : throw new InvalidOperationException($"{passwordFile} is missing: the password of the PostgreSQL cluster in {data} is unknown. Restore the file or remove the data directory.");
        }

        Directory.CreateDirectory(data);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(passwordFile, password);
        if (MachineTools.AsRoot && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.GetDirectoryName(data)!, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            MachineTools.Require("chown", ["-R", "postgres:postgres", data]);
        }

        MachineTools.Require(Path.Combine(binaries, "initdb"), ["-D", data, "-U", "postgres", "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--pwfile", passwordFile, "-E", "UTF8"], asPostgres: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Once, on a temporary port: the platform's database.
        var port = FreePort();
        MachineTools.Require(pgctl, ["-D", data, "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {data}", "-l", Path.Combine(data, "init.log"), "-w", "-t", "60", "start"], asPostgres: true);
        try
        {
            using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database=postgres");
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
            create.ExecuteNonQuery();
        }
        finally
        {
            MachineTools.Run(pgctl, ["-D", data, "-m", "fast", "-w", "stop"], asPostgres: true);
        }

        return password;
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
