using System.Text.Json;

namespace Depin.Cli;

/// <summary>Where the CLI remembers the marketplace URL and the API key of the last registration (~/.depin/profile.json, or DEPIN_PROFILE).</summary>
internal sealed record Profile(string Url, string? ApiKey, string? Role, string? Id)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static string PathOnDisk =>
        Environment.GetEnvironmentVariable("DEPIN_PROFILE")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".depin", "profile.json");

    public static Profile Load()
    {
        var path = PathOnDisk;
        return File.Exists(path)
            ? JsonSerializer.Deserialize<Profile>(File.ReadAllText(path)) ?? new Profile(DefaultUrl, null, null, null)
            : new Profile(DefaultUrl, null, null, null);
    }

    public void Save()
    {
        var path = PathOnDisk;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
