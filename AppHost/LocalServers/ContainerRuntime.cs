namespace Depin.AppHost.LocalServers;

/// <summary>Whether a container engine answers (a docker client with no engine behind it does not), checked once.</summary>
internal static class ContainerRuntime
{
    private static readonly Lazy<bool> Healthy = new(() =>
    {
        if (MachineTools.Which("docker") is not { } docker)
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(docker, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            if (!process.WaitForExit(5_000))
            {
                process.Kill();
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public static bool IsHealthy() => Healthy.Value;
}
