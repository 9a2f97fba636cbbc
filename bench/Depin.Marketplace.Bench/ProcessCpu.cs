using System.Globalization;

namespace Depin.Marketplace.Bench;

/// <summary>
/// CPU time of every process on the machine (Linux /proc), by command name, so that a run can say what each part of the
/// platform costs per job. A process that exits between two samples keeps its last sample.
/// </summary>
internal sealed class ProcessCpu
{
    private static readonly double TicksPerSecond = 100;
    private readonly Dictionary<int, (string Name, long Ticks)> _start;
    private readonly Dictionary<int, (string Name, long Ticks)> _last;

    private ProcessCpu(Dictionary<int, (string Name, long Ticks)> start)
    {
        _start = start;
        _last = new(start);
    }

    public static bool Supported => OperatingSystem.IsLinux() && Directory.Exists("/proc");

    public static ProcessCpu Start() => new(Sample());

    /// <summary>Takes a sample now (call it now and then, so that processes that exit early are counted).</summary>
    public void Update()
    {
        foreach (var (pid, value) in Sample())
        {
            _last[pid] = value;
        }
    }

    /// <summary>CPU seconds since the start, by command name, excluding the given processes (the benchmark's own).</summary>
    public IReadOnlyList<(string Name, double Seconds)> ByName(IReadOnlySet<int> excluded)
    {
        Update();
        var byName = new Dictionary<string, long>();
        foreach (var (pid, (name, ticks)) in _last)
        {
            if (excluded.Contains(pid))
            {
                continue;
            }

            var before = _start.TryGetValue(pid, out var s) && s.Name == name ? s.Ticks : 0;
            byName[name] = byName.GetValueOrDefault(name) + ticks - before;
        }

        return [.. byName.Where(p => p.Value > 0).Select(p => (p.Key, p.Value / TicksPerSecond)).OrderByDescending(p => p.Item2)];
    }

    /// <summary>CPU seconds of one process since the start.</summary>
    public double Of(int pid)
    {
        Update();
        return _last.TryGetValue(pid, out var v) ? (v.Ticks - (_start.TryGetValue(pid, out var s) ? s.Ticks : 0)) / TicksPerSecond : 0;
    }

    private static Dictionary<int, (string, long)> Sample()
    {
        var sample = new Dictionary<int, (string, long)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                // pid (comm) state ppid ... utime(14) stime(15): the name may hold spaces and parentheses.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                sample[pid] = (stat[(open + 1)..close], long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process exited while it was read.
            }
        }

        return sample;
    }
}
