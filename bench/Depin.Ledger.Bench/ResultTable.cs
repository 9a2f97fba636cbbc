namespace Depin.Ledger.Bench;

/// <summary>Rows printed as an aligned text table.</summary>
internal sealed class ResultTable(params string[] columns)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] row) => _rows.Add(row);

    public void Print(TextWriter writer)
    {
        var widths = columns.Select((c, i) => Math.Max(c.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        writer.WriteLine(string.Join(" | ", columns.Select((c, i) => c.PadRight(widths[i]))));
        writer.WriteLine(string.Join("-|-", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
        {
            writer.WriteLine(string.Join(" | ", row.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))));
        }

        writer.WriteLine();
    }

    public static string Tps(double value) => value >= 1e6 ? $"{value / 1e6:F2} M" : $"{value / 1e3:F0} k";
}
