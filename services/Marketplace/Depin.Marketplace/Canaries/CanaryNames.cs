namespace Depin.Marketplace.Canaries;

/// <summary>Names for canary customer accounts, like the names customers give themselves (no worker sees them, but admins and logs do).</summary>
internal static class CanaryNames
{
    private static readonly string[] First = ["render", "quant", "vision", "sim", "lab", "data", "pixel", "tensor", "orbit", "delta"];
    private static readonly string[] Second = ["works", "labs", "studio", "research", "ai", "analytics", "systems", "cloud", "ops", "group"];

    public static string Next(Random random) => $"{First[random.Next(First.Length)]}-{Second[random.Next(Second.Length)]}-{random.Next(10, 100)}";
}
