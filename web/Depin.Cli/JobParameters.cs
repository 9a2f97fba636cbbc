using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Depin.Cli;

/// <summary>Turns "name=value" pairs into the job's JSON parameters: integers, then decimals, then booleans, else strings.</summary>
internal static class JobParameters
{
    public static JsonElement Parse(IEnumerable<string> pairs)
    {
        var json = new JsonObject();
        foreach (var pair in pairs)
        {
            var split = pair.IndexOf('=');
            if (split <= 0)
            {
                throw new FormatException($"'{pair}' is not name=value");
            }

            var name = pair[..split].Trim();
            var text = pair[(split + 1)..].Trim();
            json[name] = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) ? JsonValue.Create(integer)
                : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number)
                : bool.TryParse(text, out var flag) ? JsonValue.Create(flag)
                : JsonValue.Create(text);
        }

        return JsonSerializer.SerializeToElement(json);
    }
}
