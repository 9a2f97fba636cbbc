using System.Buffers.Binary;
using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;

namespace Depin.Ledger.Storage;

/// <summary>
/// Snapshot files <c>snapshot-HHHHHHHHHHHH.snap</c>: magic, height, block hash, state root, count, accounts, CRC-32C of
/// everything before it. Written atomically (temp file, fsync, rename); the two newest are kept.
/// </summary>
public sealed class SnapshotStore(string directory)
{
    private const uint Magic = 0x31535044; // "DPS1"
    private const int HeaderSize = 4 + 8 + Hash256.Size * 2 + 4;
    private const int AccountSize = AccountId.Size + AccountState.EncodedSize;

    public void Write(Snapshot snapshot)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"snapshot-{snapshot.Height:D12}.snap");
        var bytes = new byte[HeaderSize + snapshot.Count * AccountSize + 4];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(span[4..], snapshot.Height);
        snapshot.BlockHash.WriteTo(span[12..]);
        snapshot.StateRoot.WriteTo(span[44..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[76..], snapshot.Count);
        var cursor = HeaderSize;
        for (var i = 0; i < snapshot.Count; i++)
        {
            snapshot.Ids[i].WriteTo(span[cursor..]);
            snapshot.States[i].WriteTo(span[(cursor + AccountId.Size)..]);
            cursor += AccountSize;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[cursor..], Crc32C.Compute(span[..cursor]));
        DurableFiles.WriteAtomically(path, stream => stream.Write(bytes));

        foreach (var old in List().Skip(2))
        {
            File.Delete(old);
        }
    }

    /// <summary>The newest snapshot, or null when there is none. A damaged snapshot throws <see cref="LedgerCorruptionException"/>.</summary>
    public Snapshot? LoadLatest()
    {
        var path = List().FirstOrDefault();
        if (path is null)
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < HeaderSize + 4 || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            throw new LedgerCorruptionException(path, 0, "bad snapshot header");
        }

        var span = bytes.AsSpan();
        var count = BinaryPrimitives.ReadInt32LittleEndian(span[76..]);
        var end = HeaderSize + (long)count * AccountSize;
        if (count < 0 || end + 4 != bytes.Length)
        {
            throw new LedgerCorruptionException(path, 76, "snapshot length does not match its account count");
        }

        if (Crc32C.Compute(span[..(int)end]) != BinaryPrimitives.ReadUInt32LittleEndian(span[(int)end..]))
        {
            throw new LedgerCorruptionException(path, end, "snapshot checksum mismatch");
        }

        var ids = new AccountId[count];
        var states = new AccountState[count];
        var cursor = HeaderSize;
        for (var i = 0; i < count; i++)
        {
            ids[i] = new AccountId(span.Slice(cursor, AccountId.Size));
            states[i] = AccountState.ReadFrom(span[(cursor + AccountId.Size)..]);
            cursor += AccountSize;
        }

        return new Snapshot(
            BinaryPrimitives.ReadInt64LittleEndian(span[4..]),
            Hash256.ReadFrom(span[12..]),
            Hash256.ReadFrom(span[44..]),
            ids,
            states,
            count);
    }

    private IEnumerable<string> List() =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "snapshot-*.snap").OrderDescending(StringComparer.Ordinal)
            : [];
}
