using System.Runtime.InteropServices;

namespace Depin.Chain;

/// <summary>
/// Finds the local Ethereum toolchain that infra/chain installs with npm ci: anvil, cast and the compiled
/// contract artifacts. Environment variables DEPIN_ANVIL, DEPIN_CAST and DEPIN_CHAIN_DIR override the search.
/// </summary>
public static class ChainTools
{
    public const string AnvilVariable = "DEPIN_ANVIL";
    public const string CastVariable = "DEPIN_CAST";
    public const string ChainDirVariable = "DEPIN_CHAIN_DIR";

    /// <summary>The infra/chain folder: DEPIN_CHAIN_DIR, else the first ancestor of the app or working directory that holds infra/chain.</summary>
    public static string FindChainDirectory()
    {
        string? configured = Environment.GetEnvironmentVariable(ChainDirVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new DirectoryNotFoundException($"{ChainDirVariable}={configured} does not exist.");
        }

        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "infra", "chain");
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"No infra/chain folder above {AppContext.BaseDirectory}; set {ChainDirVariable} to the folder with package.json.");
    }

    public static string FindAnvil() => FindTool("anvil", AnvilVariable);

    public static string FindCast() => FindTool("cast", CastVariable);

    /// <summary>The npm platform package suffix of @foundry-rs binaries for this machine, e.g. linux-amd64.</summary>
    public static string PlatformSuffix()
    {
        string os = OperatingSystem.IsWindows() ? "win32" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
        string arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
        return $"{os}-{arch}";
    }

    private static string FindTool(string name, string variable)
    {
        string? chainDir = null;
        try
        {
            chainDir = FindChainDirectory();
        }
        catch (DirectoryNotFoundException)
        {
        }

        return FindTool(name, variable, Environment.GetEnvironmentVariable(variable), chainDir, Environment.GetEnvironmentVariable("PATH"));
    }

    /// <summary>The search itself, with its inputs explicit: the override, infra/chain/node_modules, then PATH.</summary>
    internal static string FindTool(string name, string variable, string? configured, string? chainDir, string? searchPath)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new FileNotFoundException($"{variable}={configured} does not exist.", configured);
        }

        string executable = OperatingSystem.IsWindows() ? name + ".exe" : name;
        var tried = new List<string>();
        if (chainDir is not null)
        {
            string candidate = Path.Combine(chainDir, "node_modules", "@foundry-rs", $"{name}-{PlatformSuffix()}", "bin", executable);
            tried.Add(candidate);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        foreach (string dir in (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        tried.Add("$PATH");
        throw new FileNotFoundException(
            $"{name} was not found (looked in {string.Join(", ", tried)}). Run `npm ci` in infra/chain (./test.sh does) or set {variable}.");
    }
}
