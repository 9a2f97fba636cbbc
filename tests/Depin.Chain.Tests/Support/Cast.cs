using System.Diagnostics;

namespace Depin.Chain.Tests.Support;

/// <summary>Runs foundry's cast, the independent implementation our primitives are checked against.</summary>
public static class Cast
{
    private static readonly Lazy<string> Path = new(() =>
    {
        Toolchain.EnsureInstalled();
        return ChainTools.FindCast();
    });

    public static string Run(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cast did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new TimeoutException($"cast {string.Join(' ', args)} did not finish in 30 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"cast {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        }

        return stdout.Result.Trim();
    }

    /// <summary>Runs one cast command per input in parallel; results are in input order.</summary>
    public static string[] RunMany<T>(IReadOnlyList<T> inputs, Func<T, string[]> args)
    {
        var results = new string[inputs.Count];
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = Run(args(inputs[i])));
        return results;
    }
}
