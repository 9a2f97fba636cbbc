using System.Buffers.Binary;
using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Storage;

/// <summary>
/// The log's encoding of a transaction: id, program, a 16-bit mask of the fields that are not zero, then those fields
/// in a fixed order. A transfer takes 67 bytes instead of the fixed layout's 163, which is most of what a block costs
/// to write and fsync.
/// </summary>
public static class CompactTransaction
{
    /// <summary>The largest encoding (every field present).</summary>
    public const int MaxSize = FixedPart + AccountId.Size * 2 + 8 + 8 + TxId.Size + Hash256.Size + TxId.Size + 8 * 3 + 2;

    private const int FixedPart = TxId.Size + 1 + 2;

    [Flags]
    private enum Fields : ushort
    {
        From = 1,
        To = 1 << 1,
        Amount = 1 << 2,
        Fee = 1 << 3,
        Job = 1 << 4,
        Digest = 1 << 5,
        Worker = 1 << 6,
        Token = 1 << 7,
        Until = 1 << 8,
        WorkUnits = 1 << 9,
        Kind = 1 << 10,
        MaxAttempts = 1 << 11,
        Known = (1 << 12) - 1,
    }

    /// <summary>Writes <paramref name="tx"/> (at most <see cref="MaxSize"/> bytes); returns the bytes written.</summary>
    public static int Write(in Transaction tx, Span<byte> destination)
    {
        var p = tx.Payload;
        var fields = (tx.From.IsZero ? 0 : Fields.From) | (tx.To.IsZero ? 0 : Fields.To) | (tx.Amount == 0 ? 0 : Fields.Amount) |
            (tx.Fee == 0 ? 0 : Fields.Fee) | (tx.Job.IsEmpty ? 0 : Fields.Job) | (p.Digest.IsZero ? 0 : Fields.Digest) |
            (p.Worker.IsEmpty ? 0 : Fields.Worker) | (p.Token == 0 ? 0 : Fields.Token) | (p.Until == 0 ? 0 : Fields.Until) |
            (p.WorkUnits == 0 ? 0 : Fields.WorkUnits) | (p.Kind == 0 ? 0 : Fields.Kind) | (p.MaxAttempts == 0 ? 0 : Fields.MaxAttempts);
        tx.Id.WriteTo(destination);
        destination[TxId.Size] = (byte)tx.Program;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[(TxId.Size + 1)..], (ushort)fields);
        var at = FixedPart;
        if ((fields & Fields.From) != 0)
        {
            tx.From.WriteTo(destination[at..]);
            at += AccountId.Size;
        }

        if ((fields & Fields.To) != 0)
        {
            tx.To.WriteTo(destination[at..]);
            at += AccountId.Size;
        }

        at = WriteLong(fields, Fields.Amount, tx.Amount, destination, at);
        at = WriteLong(fields, Fields.Fee, tx.Fee, destination, at);
        if ((fields & Fields.Job) != 0)
        {
            tx.Job.WriteTo(destination[at..]);
            at += TxId.Size;
        }

        if ((fields & Fields.Digest) != 0)
        {
            p.Digest.WriteTo(destination[at..]);
            at += Hash256.Size;
        }

        if ((fields & Fields.Worker) != 0)
        {
            p.Worker.WriteTo(destination[at..]);
            at += TxId.Size;
        }

        at = WriteLong(fields, Fields.Token, p.Token, destination, at);
        at = WriteLong(fields, Fields.Until, p.Until, destination, at);
        at = WriteLong(fields, Fields.WorkUnits, p.WorkUnits, destination, at);
        if ((fields & Fields.Kind) != 0)
        {
            destination[at++] = p.Kind;
        }

        if ((fields & Fields.MaxAttempts) != 0)
        {
            destination[at++] = p.MaxAttempts;
        }

        return at;
    }

    /// <summary>Reads one transaction; false when the bytes are not a whole encoding (unknown fields or too short).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out Transaction tx, out int read)
    {
        tx = default;
        read = 0;
        if (source.Length < FixedPart)
        {
            return false;
        }

        var fields = (Fields)BinaryPrimitives.ReadUInt16LittleEndian(source[(TxId.Size + 1)..]);
        if ((fields & ~Fields.Known) != 0 || source.Length < SizeOf(fields))
        {
            return false;
        }

        var at = FixedPart;
        var from = (fields & Fields.From) != 0 ? new AccountId(source.Slice(Advance(ref at, AccountId.Size), AccountId.Size)) : default;
        var to = (fields & Fields.To) != 0 ? new AccountId(source.Slice(Advance(ref at, AccountId.Size), AccountId.Size)) : default;
        var amount = ReadLong(fields, Fields.Amount, source, ref at);
        var fee = ReadLong(fields, Fields.Fee, source, ref at);
        var job = (fields & Fields.Job) != 0 ? TxId.ReadFrom(source[Advance(ref at, TxId.Size)..]) : default;
        var digest = (fields & Fields.Digest) != 0 ? Hash256.ReadFrom(source[Advance(ref at, Hash256.Size)..]) : default;
        var worker = (fields & Fields.Worker) != 0 ? TxId.ReadFrom(source[Advance(ref at, TxId.Size)..]) : default;
        var token = ReadLong(fields, Fields.Token, source, ref at);
        var until = ReadLong(fields, Fields.Until, source, ref at);
        var workUnits = ReadLong(fields, Fields.WorkUnits, source, ref at);
        var kind = (fields & Fields.Kind) != 0 ? source[at++] : (byte)0;
        var maxAttempts = (fields & Fields.MaxAttempts) != 0 ? source[at++] : (byte)0;
        tx = new Transaction(TxId.ReadFrom(source), (ProgramKind)source[TxId.Size], from, to, amount, fee, job,
            new JobPayload(digest, worker, token, until, workUnits, kind, maxAttempts));
        read = at;
        return true;
    }

    private static int SizeOf(Fields fields) => FixedPart +
        ((fields & Fields.From) != 0 ? AccountId.Size : 0) + ((fields & Fields.To) != 0 ? AccountId.Size : 0) +
        ((fields & Fields.Amount) != 0 ? 8 : 0) + ((fields & Fields.Fee) != 0 ? 8 : 0) + ((fields & Fields.Job) != 0 ? TxId.Size : 0) +
        ((fields & Fields.Digest) != 0 ? Hash256.Size : 0) + ((fields & Fields.Worker) != 0 ? TxId.Size : 0) +
        ((fields & Fields.Token) != 0 ? 8 : 0) + ((fields & Fields.Until) != 0 ? 8 : 0) + ((fields & Fields.WorkUnits) != 0 ? 8 : 0) +
        ((fields & Fields.Kind) != 0 ? 1 : 0) + ((fields & Fields.MaxAttempts) != 0 ? 1 : 0);

    private static int Advance(ref int at, int size)
    {
        var start = at;
        at += size;
        return start;
    }

    private static int WriteLong(Fields fields, Fields field, long value, Span<byte> destination, int at)
    {
        if ((fields & field) == 0)
        {
            return at;
        }

        BinaryPrimitives.WriteInt64LittleEndian(destination[at..], value);
        return at + 8;
    }

    private static long ReadLong(Fields fields, Fields field, ReadOnlySpan<byte> source, ref int at) =>
        (fields & field) != 0 ? BinaryPrimitives.ReadInt64LittleEndian(source[Advance(ref at, 8)..]) : 0;
}
