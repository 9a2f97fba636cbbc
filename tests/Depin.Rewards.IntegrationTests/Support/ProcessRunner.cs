using System.Diagnostics;

namespace Depin.Rewards.IntegrationTests.Support;

public static class ProcessRunner
{
    /// <summary>Runs a tool to completion; throws with its output when it fails.</summary>
    public static string Run(string tool, IEnumerable<string> args, string? workingDirectory = null, int timeoutMs = 600_000)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', args)} timed out.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({process.ExitCode}): {stdout.Result}{stderr.Result}");
        }

        return stdout.Result;
    }
}
