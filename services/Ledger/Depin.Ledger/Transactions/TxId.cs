using System.Diagnostics.CodeAnalysis;

namespace Depin.Ledger.Transactions;

/// <summary>A transaction's unique 16-byte id, chosen by the submitter (a UUID). Re-submitting an id is idempotent.</summary>
public readonly record struct TxId(Guid Value)
{
    public const int Size = 16;

    public bool IsEmpty => Value == Guid.Empty;

    public static TxId New() => new(Guid.NewGuid());

    /// <summary>A deterministic id derived from a name, e.g. "settle:{jobId}", so that a repeated request maps to one transaction.</summary>
    public static TxId Derive(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name), hash);
        return new TxId(new Guid(hash[..Size], bigEndian: true));
    }

    public void WriteTo(Span<byte> destination) => Value.TryWriteBytes(destination, bigEndian: true, out _);

    public static TxId ReadFrom(ReadOnlySpan<byte> source) => new(new Guid(source[..Size], bigEndian: true));

    /// <summary>Accepts 32 hex digits or any standard UUID form.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TxId id)
    {
        if (Guid.TryParse(text, out var guid) && guid != Guid.Empty)
        {
            id = new TxId(guid);
            return true;
        }

        id = default;
        return false;
    }

    public override string ToString() => Value.ToString("N");
}
