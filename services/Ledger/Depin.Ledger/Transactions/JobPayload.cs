using System.Buffers.Binary;
using Depin.Ledger.Commitment;

namespace Depin.Ledger.Transactions;

/// <summary>
/// What a job program carries beyond accounts and amounts: a digest (the parameters' hash at submission, the result's at
/// completion), the worker, the fencing token, a time (the job's deadline at submission, the lease deadline at lease and
/// extend; Unix ms), the work units, the kernel kind (at job-fail: the submitter's reason code, which only the history
/// reads) and the attempt budget. All zero for the money programs.
/// </summary>
public readonly record struct JobPayload(Hash256 Digest, TxId Worker, long Token, long Until, long WorkUnits, byte Kind, byte MaxAttempts)
{
    public const int EncodedSize = Hash256.Size + TxId.Size + 8 * 3 + 2;

    public void WriteTo(Span<byte> destination)
    {
        Digest.WriteTo(destination);
        Worker.WriteTo(destination[32..]);
        BinaryPrimitives.WriteInt64LittleEndian(destination[48..], Token);
        BinaryPrimitives.WriteInt64LittleEndian(destination[56..], Until);
        BinaryPrimitives.WriteInt64LittleEndian(destination[64..], WorkUnits);
        destination[72] = Kind;
        destination[73] = MaxAttempts;
    }

    public static JobPayload ReadFrom(ReadOnlySpan<byte> source) => new(
        Hash256.ReadFrom(source),
        TxId.ReadFrom(source[32..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[48..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[56..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[64..]),
        source[72],
        source[73]);
}
