using System.Runtime.InteropServices;

namespace Depin.ServiceDefaults.Testing;

/// <summary>
/// Named places where the crash trials kill the process (SIGKILL, no shutdown of any kind): set the environment variable
/// <c>DEPIN_FAULT_POINT</c> to <c>name</c> or <c>name:N</c> (on the Nth time it is reached). Inert when the variable is
/// not set, which is always the case outside the trials. The names: <see cref="LedgerCommitted"/>,
/// <see cref="JobCompleted"/>, <see cref="Registration"/>, <see cref="DepositCredited"/>.
/// </summary>
public static partial class FaultPoints
{
    /// <summary>A block is durable in the write-ahead log; no caller has its receipt yet.</summary>
    public const string LedgerCommitted = "ledger-committed";

    /// <summary>The ledger recorded a job's completion; its result is neither judged nor settled yet.</summary>
    public const string JobCompleted = "job-completed";

    /// <summary>A customer or provider grain is registered; its API key is not assigned yet (the caller gets no answer).</summary>
    public const string Registration = "registration";

    /// <summary>The ledger credited a chain deposit; the deposit watcher has not recorded it yet.</summary>
    public const string DepositCredited = "deposit-credited";

    private static readonly (string Name, int Nth)? Armed = Parse(Environment.GetEnvironmentVariable("DEPIN_FAULT_POINT"));
    private static int _hits;

    /// <summary>Kills this process here when the armed fault point is <paramref name="name"/> and its count is reached.</summary>
    public static void Reached(string name)
    {
        if (Armed is not { } armed || !string.Equals(armed.Name, name, StringComparison.Ordinal))
        {
            return;
        }

        if (Interlocked.Increment(ref _hits) >= armed.Nth)
        {
            Console.Error.WriteLine($"fault point {name} reached (hit {armed.Nth}): SIGKILL");
            _ = Kill(Environment.ProcessId, 9);
        }
    }

    private static (string, int)? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (value, 1) : (value[..colon], int.TryParse(value.AsSpan(colon + 1), out var n) && n > 0 ? n : 1);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
