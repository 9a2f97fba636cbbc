using System.Collections.Frozen;
using System.Text;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Api;

/// <summary>Kebab-case names of programs and receipt statuses, as used on the wire.</summary>
public static class Naming
{
    private static readonly FrozenDictionary<string, ProgramKind> Programs =
        Enum.GetValues<ProgramKind>().ToFrozenDictionary(Kebab, p => p, StringComparer.Ordinal);

    private static readonly FrozenDictionary<ProgramKind, string> ProgramNames = Programs.ToFrozenDictionary(p => p.Value, p => p.Key);

    private static readonly string[] StatusNames = BuildStatusNames();

    public static IEnumerable<string> ProgramNamesList => Programs.Keys;

    public static bool TryParseProgram(string? name, out ProgramKind program) => Programs.TryGetValue(name ?? string.Empty, out program);

    public static string Name(this ProgramKind program) => ProgramNames.TryGetValue(program, out var name) ? name : $"unknown-{(int)program}";

    public static string Name(this ReceiptStatus status) => (int)status < StatusNames.Length ? StatusNames[(int)status] : $"status-{(int)status}";

    private static string[] BuildStatusNames()
    {
        var values = Enum.GetValues<ReceiptStatus>();
        var names = new string[values.Max(v => (int)v) + 1];
        foreach (var value in values)
        {
            names[(int)value] = Kebab(value);
        }

        return names;
    }

    private static string Kebab<T>(T value)
        where T : struct, Enum
    {
        var text = value.ToString();
        var builder = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsUpper(text[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(text[i]));
        }

        return builder.ToString();
    }
}
