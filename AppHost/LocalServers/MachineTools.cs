using System.Diagnostics;

namespace Depin.AppHost.LocalServers;

/// <summary>Runs the machine's server tools before their resources start (PostgreSQL's initdb, solc), as the AppHost's own user or as postgres.</summary>
internal static class MachineTools
{
    /// <summary>True when this process is root: PostgreSQL then runs as the postgres user.</summary>
    public static bool AsRoot => !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess;

    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, string? workingDirectory = null, bool asPostgres = false)
    {
        var start = new ProcessStartInfo(asPostgres && AsRoot ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (asPostgres && AsRoot)
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
        // pg_ctl start leaves the server holding stdout: read stderr, wait for the tool itself.
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stderr.Result);
    }

    public static void Require(string file, IEnumerable<string> arguments, string? workingDirectory = null, bool asPostgres = false)
    {
        var (exit, output) = Run(file, arguments, workingDirectory, asPostgres);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed ({exit}): {output.Trim()}");
        }
    }
}
