using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace Depin.AppHost.IntegrationTests;

/// <summary>The operating-system processes behind the AppHost's resources, to kill them as a crash would.</summary>
public static class ResourceProcesses
{
    /// <summary>Each replica of <paramref name="resource"/> (its resource id) and the pid DCP started for it.</summary>
    public static async Task<Dictionary<string, int>> PidsAsync(this DistributedApplication app, string resource)
    {
        // WatchAsync replays every resource's current state first; two seconds is plenty for that.
        using var replayed = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var pids = new Dictionary<string, int>();
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(replayed.Token))
            {
                if (update.Resource.Name == resource
                    && update.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
                    && int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
                {
                    pids[update.ResourceId] = pid;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return pids;
    }

    /// <summary>
    /// The process that does the work under <paramref name="root"/> (a launcher such as dotnet run or runuser may stand in
    /// between): <paramref name="root"/> itself or its first descendant running <paramref name="program"/> (its executable,
    /// or the assembly dotnet runs; redis-server retitles itself "redis-server host:port").
    /// </summary>
    public static int ProgramUnder(int root, string program)
    {
        var queue = new Queue<int>([root]);
        var seen = new List<string>();
        while (queue.TryDequeue(out var pid))
        {
            seen.Add($"{pid}: {CommandLine(pid)}");
            if (Runs(pid, program))
            {
                return pid;
            }

            foreach (var child in ChildrenOf(pid))
            {
                queue.Enqueue(child);
            }
        }

        throw new InvalidOperationException($"No process running {program} under pid {root}: {string.Join("; ", seen)}");
    }

    public static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], CultureInfo.InvariantCulture);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush; what was not durable is gone.</summary>
    public static void Kill(int pid)
    {
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        process.Kill();
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "(gone)";
        }
    }

    private static bool Runs(int pid, string program)
    {
        string[] arguments;
        try
        {
            arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        }
        catch (IOException)
        {
            return false;
        }

        var executable = Path.GetFileName(arguments[0]);
        return executable == program || executable.StartsWith(program + " ", StringComparison.Ordinal)
            || (executable == "dotnet" && arguments.Any(a => Path.GetFileName(a) == program + ".dll"));
    }

    private static IEnumerable<int> ChildrenOf(int pid)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.Integer, CultureInfo.InvariantCulture, out var candidate))
            {
                continue;
            }

            int parent;
            try
            {
                parent = ParentOf(candidate);
            }
            catch (IOException)
            {
                continue;
            }

            if (parent == pid)
            {
                yield return candidate;
            }
        }
    }
}
