namespace Depin.Chain;

/// <summary>A decoded RLP value: either a byte string or a list of items.</summary>
public sealed class RlpItem
{
    private RlpItem(byte[]? bytes, IReadOnlyList<RlpItem>? items)
    {
        Bytes = bytes;
        Items = items;
    }

    public byte[]? Bytes { get; }

    public IReadOnlyList<RlpItem>? Items { get; }

    public bool IsList => Items is not null;

    public static RlpItem String(byte[] bytes) => new(bytes, null);

    public static RlpItem List(params IReadOnlyList<RlpItem> items) => new(null, items);

    public byte[] Encode()
    {
        if (Items is null)
        {
            return Rlp.EncodeBytes(Bytes);
        }

        var encoded = new byte[Items.Count][];
        for (int i = 0; i < Items.Count; i++)
        {
            encoded[i] = Items[i].Encode();
        }

        return Rlp.EncodeList(encoded);
    }

    /// <summary>Decodes one complete item; trailing bytes or non-canonical lengths throw.</summary>
    public static RlpItem Decode(ReadOnlySpan<byte> data)
    {
        RlpItem item = Read(data, out int consumed);
        if (consumed != data.Length)
        {
            throw new FormatException("Trailing bytes after the RLP item.");
        }

        return item;
    }

    private static RlpItem Read(ReadOnlySpan<byte> data, out int consumed)
    {
        if (data.IsEmpty)
        {
            throw new FormatException("Empty RLP input.");
        }

        byte b = data[0];
        if (b < 0x80)
        {
            consumed = 1;
            return String([b]);
        }

        bool isList = b >= 0xc0;
        int baseOffset = isList ? 0xc0 : 0x80;
        int headerLength;
        int length;
        if (b - baseOffset < 56)
        {
            headerLength = 1;
            length = b - baseOffset;
        }
        else
        {
            int lengthOfLength = b - baseOffset - 55;
            if (lengthOfLength > 4 || data.Length < 1 + lengthOfLength || data[1] == 0)
            {
                throw new FormatException("Invalid RLP long length.");
            }

            length = 0;
            for (int i = 0; i < lengthOfLength; i++)
            {
                length = checked((length << 8) | data[1 + i]);
            }

            if (length < 56)
            {
                throw new FormatException("Non-canonical RLP long length.");
            }

            headerLength = 1 + lengthOfLength;
        }

        if (data.Length < headerLength + length)
        {
            throw new FormatException("RLP item runs past the end of the input.");
        }

        ReadOnlySpan<byte> payload = data.Slice(headerLength, length);
        consumed = headerLength + length;
        if (!isList)
        {
            if (length == 1 && payload[0] < 0x80)
            {
                throw new FormatException("Non-canonical RLP single byte.");
            }

            return String(payload.ToArray());
        }

        var items = new List<RlpItem>();
        while (!payload.IsEmpty)
        {
            items.Add(Read(payload, out int used));
            payload = payload[used..];
        }

        return List(items);
    }
}
