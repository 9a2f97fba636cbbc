namespace Depin.AllInOne;

/// <summary>Pid files of the local servers the host starts, so that a start after a SIGKILL cleans up what the killed run left.</summary>
internal static partial class StaleProcess
{
    public static void Record(string pidFile, int pid)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pidFile))!);
        File.WriteAllText(pidFile, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Kills the process named in <paramref name="pidFile"/> when it still runs and its command line contains <paramref name="name"/>.</summary>
    public static void KillIfRunning(string pidFile, string name, ILogger logger)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            return;
        }

        var cmdline = $"/proc/{pid}/cmdline";
        if (File.Exists(cmdline) && File.ReadAllText(cmdline).Contains(name, StringComparison.Ordinal))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
                LogKilled(logger, name, pid);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }

        File.Delete(pidFile);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped the {Name} (pid {Pid}) that an earlier run left behind")]
    private static partial void LogKilled(ILogger logger, string name, int pid);
}
