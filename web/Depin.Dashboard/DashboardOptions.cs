namespace Depin.Dashboard;

/// <summary>Dashboard settings ("Dashboard" section).</summary>
public sealed class DashboardOptions
{
    /// <summary>The admin API key the dashboard's data endpoint requires (X-Api-Key). Default: "dev-admin-key" for local use.</summary>
    public string AdminApiKey { get; set; } = "dev-admin-key";
}
