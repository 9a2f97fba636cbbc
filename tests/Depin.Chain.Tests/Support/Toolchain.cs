using System.Diagnostics;

namespace Depin.Chain.Tests.Support;

/// <summary>Installs infra/chain's npm tools and compiles the contracts once per test run when they are missing.</summary>
public static class Toolchain
{
    private static readonly Lazy<string> Tools = new(InstallTools, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> Contracts = new(CompileContracts, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Returns the infra/chain folder after making sure node_modules (anvil, cast, solc) exists.</summary>
    public static string EnsureInstalled() => Tools.Value;

    /// <summary>Returns the infra/chain folder after making sure build/ holds the compiled contracts.</summary>
    public static string EnsureContractsCompiled() => Contracts.Value;

    private static string InstallTools()
    {
        string chainDir = ChainTools.FindChainDirectory();
        if (!Directory.Exists(Path.Combine(chainDir, "node_modules")))
        {
            RunNode(chainDir, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        }

        return chainDir;
    }

    private static string CompileContracts()
    {
        string chainDir = EnsureInstalled();
        if (!ContractArtifacts.AllPresent(chainDir))
        {
            RunNode(chainDir, "node", "compile.js");
        }

        return chainDir;
    }

    private static void RunNode(string workingDirectory, string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot run `{tool}` to prepare {workingDirectory} (is Node.js installed?): {e.Message}", e);
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(600_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{tool} {string.Join(' ', args)} took over 10 minutes in {workingDirectory}.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{tool} {string.Join(' ', args)} failed in {workingDirectory} ({process.ExitCode}): {stdout.Result}{stderr.Result}");
            }
        }
    }
}
