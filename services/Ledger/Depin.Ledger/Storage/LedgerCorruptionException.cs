namespace Depin.Ledger.Storage;

/// <summary>Stored ledger data is damaged somewhere other than a torn final record; start-up must stop.</summary>
public sealed class LedgerCorruptionException(string file, long offset, string reason)
    : Exception($"Ledger data is corrupt in '{file}' at offset {offset}: {reason}")
{
    public string File { get; } = file;

    public long Offset { get; } = offset;
}
