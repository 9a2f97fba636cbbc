using System.Diagnostics;
using Npgsql;

namespace Depin.AllInOne;

/// <summary>
/// The platform's own PostgreSQL when no <c>ConnectionStrings:postgres</c> is configured: the machine's PostgreSQL binaries
/// on a data directory (<c>LocalPostgres:DataDirectory</c>, default .data/postgres) on loopback
/// (<c>LocalPostgres:Port</c>, default 55432), initialised on first start with a random password kept beside it, started
/// as the <c>postgres</c> user when the host runs as root, stopped on dispose. fsync and synchronous_commit stay on.
/// A server that a killed run left running on the same directory is reused; a stale postmaster.pid is PostgreSQL's own to clear.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed partial class LocalPostgres : IAsyncDisposable
{
    public const string ConnectionStringName = "postgres";
    private const string Database = "depin";

    private readonly string _binaries;
    private readonly string _dataDirectory;
    private readonly ILogger _logger;

    private LocalPostgres(string binaries, string dataDirectory, ILogger logger)
    {
        _binaries = binaries;
        _dataDirectory = dataDirectory;
        _logger = logger;
    }

    public static async Task<LocalPostgres?> StartAsync(WebApplicationBuilder builder, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ConnectionStringName)))
        {
            return null;
        }

        var binaries = FindBinaries() ?? throw new InvalidOperationException(
            "The platform keeps its state in PostgreSQL and none is configured or installed: install PostgreSQL (apt-get install postgresql) or set ConnectionStrings:postgres.");
        var dataDirectory = Path.GetFullPath(builder.Configuration["LocalPostgres:DataDirectory"] ?? Path.Combine(".data", "postgres"));
        var port = builder.Configuration.GetValue("LocalPostgres:Port", 55432);
        var server = new LocalPostgres(binaries, dataDirectory, logger);
        var password = await server.InitializeAsync();
        await server.StartServerAsync(port);
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Password = password,
            Database = Database,
        }.ConnectionString;
        await CreateDatabaseAsync(connectionString);
        builder.Configuration[$"ConnectionStrings:{ConnectionStringName}"] = connectionString;
        LogStarted(logger, port, dataDirectory);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        var (exit, output) = await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", _dataDirectory, "-m", "fast", "-w", "stop"]);
        if (exit != 0)
        {
            LogStopFailed(_logger, output.Trim());
        }
    }

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    /// <summary>initdb on first start (password authentication, a random password in a 0600 file next to the data directory).</summary>
    private async Task<string> InitializeAsync()
    {
        var passwordFile = _dataDirectory + ".password";
        if (File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")))
        {
            return File.Exists(passwordFile)
                ? (await File.ReadAllTextAsync(passwordFile)).Trim()
                : throw new InvalidOperationException($"{passwordFile} is missing: the password of the PostgreSQL cluster in {_dataDirectory} is unknown. Restore the file or remove the data directory.");
        }

        Directory.CreateDirectory(_dataDirectory);
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        await File.WriteAllTextAsync(passwordFile, password);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        if (Environment.IsPrivilegedProcess)
        {
            await RequireAsync("chown", ["-R", "postgres:postgres", _dataDirectory]);
        }

        await RequireAsync(Path.Combine(_binaries, "initdb"), ["-D", _dataDirectory, "-U", "postgres", "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--pwfile", passwordFile, "-E", "UTF8"]);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return password;
    }

    private async Task StartServerAsync(int port)
    {
        var (running, _) = await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", _dataDirectory, "status"]);
        if (running == 0)
        {
            LogReused(_logger, _dataDirectory);
            return;
        }

        var options = $"-c listen_addresses=127.0.0.1 -p {port} -k {_dataDirectory} -c fsync=on -c synchronous_commit=on";
        await RequireAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", _dataDirectory, "-o", options, "-l", Path.Combine(_dataDirectory, "server.log"), "-w", "-t", "60", "start"]);
    }

    private static async Task CreateDatabaseAsync(string connectionString)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", Database);
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
            await create.ExecuteNonQueryAsync();
        }
    }

    private static async Task RequireAsync(string file, string[] arguments)
    {
        var (exit, output) = await RunAsync(file, arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed ({exit}): {output.Trim()}");
        }
    }

    /// <summary>Runs a PostgreSQL tool, as the postgres user when this process is root (PostgreSQL refuses to run as root).</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments)
    {
        var asPostgres = Environment.IsPrivilegedProcess && file.StartsWith("/usr/lib/postgresql", StringComparison.Ordinal);
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} could not be started.");
        // pg_ctl start leaves the server holding its stdout; read until the tool itself exits, not until the pipe closes.
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stderr);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Local PostgreSQL on 127.0.0.1:{Port}, data in {DataDirectory}")]
    private static partial void LogStarted(ILogger logger, int port, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reusing the PostgreSQL server already running on {DataDirectory} (left by an earlier run)")]
    private static partial void LogReused(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping the local PostgreSQL failed: {Output}")]
    private static partial void LogStopFailed(ILogger logger, string output);
}
