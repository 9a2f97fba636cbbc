namespace Depin.Chain;

/// <summary>A recoverable secp256k1 signature: r, s (low-s) and the recovery id; 65-byte form r ‖ s ‖ v with v = 27 + id.</summary>
public readonly record struct Signature(Hash32 R, Hash32 S, byte RecoveryId)
{
    public const int Size = 65;

    /// <summary>The legacy v byte (27 or 28) used by personal_sign.</summary>
    public byte V => (byte)(27 + RecoveryId);

    public byte[] ToBytes()
    {
        byte[] bytes = new byte[Size];
        R.CopyTo(bytes);
        S.CopyTo(bytes.AsSpan(32));
        bytes[64] = V;
        return bytes;
    }

    public string ToHex() => Hex.Encode(ToBytes());

    /// <summary>Reads 65 bytes r ‖ s ‖ v where v is 0, 1, 27 or 28.</summary>
    public static Signature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A signature is {Size} bytes, got {bytes.Length}.", nameof(bytes));
        }

        byte v = bytes[64];
        byte id = v switch
        {
            0 or 1 => v,
            27 or 28 => (byte)(v - 27),
            _ => throw new FormatException($"Unsupported v value {v}."),
        };
        return new Signature(new Hash32(bytes[..32]), new Hash32(bytes[32..64]), id);
    }

    public static Signature Parse(string hex) => FromBytes(Hex.Decode(hex));

    public override string ToString() => ToHex();
}
