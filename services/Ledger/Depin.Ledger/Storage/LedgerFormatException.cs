namespace Depin.Ledger.Storage;

/// <summary>The data directory was written by an older version of the ledger, in a format this version does not read.</summary>
public sealed class LedgerFormatException(string directory, string found)
    : Exception(
        $"The ledger data in '{directory}' is in an older format ({found}); this version writes and reads format 3 (job payloads, job records whose " +
        $"slots are freed when pruned, snapshots that carry the indexes). Nothing was read or changed. To start a new ledger, move that data directory away " +
        $"(or delete .data/ for a local platform); to keep the old one, run the version that wrote it.")
{
    public string Directory { get; } = directory;
}
