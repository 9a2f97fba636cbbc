namespace Depin.Ledger.Accounts;

/// <summary>Parses "0x"-prefixed (or bare) hex of an exact byte length.</summary>
internal static class FixedHex
{
    public static bool TryParse(string? text, Span<byte> destination)
    {
        if (text is null)
        {
            return false;
        }

        var span = text.AsSpan();
        if (span.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            span = span[2..];
        }

        return span.Length == destination.Length * 2 &&
            Convert.FromHexString(span, destination, out _, out var written) == System.Buffers.OperationStatus.Done &&
            written == destination.Length;
    }
}
