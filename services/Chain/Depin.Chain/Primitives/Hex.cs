namespace Depin.Chain;

/// <summary>0x-prefixed hexadecimal helpers for the JSON-RPC wire format.</summary>
public static class Hex
{
    public static string Encode(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    public static byte[] Decode(string hex)
    {
        if (!TryDecode(hex, out byte[]? bytes))
        {
            throw new FormatException($"Not a hex string: '{Truncate(hex)}'.");
        }

        return bytes;
    }

    public static byte[] Decode(string hex, int expectedLength)
    {
        byte[] bytes = Decode(hex);
        if (bytes.Length != expectedLength)
        {
            throw new FormatException($"Expected {expectedLength} bytes, got {bytes.Length} in '{Truncate(hex)}'.");
        }

        return bytes;
    }

    /// <summary>Accepts an optional 0x prefix and an odd number of digits (a leading zero is implied).</summary>
    public static bool TryDecode(string hex, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? bytes)
    {
        ReadOnlySpan<char> digits = hex.AsSpan();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        bytes = null;
        foreach (char c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        if (digits.Length % 2 == 1)
        {
            bytes = Convert.FromHexString("0" + digits.ToString());
            return true;
        }

        bytes = Convert.FromHexString(digits);
        return true;
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
