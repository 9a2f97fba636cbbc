using System.Buffers.Binary;
using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Jobs;

/// <summary>
/// A job's state in the ledger, beside the accounts: who pays, what runs, the escrow it holds, who holds the lease under
/// which fencing token until when, and, once final, the digest, price and fee. Amounts are micro-credits; times are
/// block timestamps in Unix milliseconds. The escrow lives in the record itself, so settlement touches the record and
/// three accounts.
/// </summary>
public struct JobRecord : IEquatable<JobRecord>
{
    public const int EncodedSize = AccountId.Size * 2 + TxId.Size + Hash256.Size * 2 + 8 * 10 + 4;

    public AccountId Customer;

    /// <summary>The leaseholder's provider (payout) account.</summary>
    public AccountId Provider;

    /// <summary>The leaseholder worker.</summary>
    public TxId Worker;

    /// <summary>SHA-256 of the job's parameters and input.</summary>
    public Hash256 ParamsHash;

    /// <summary>SHA-256 of the result the leaseholder reported.</summary>
    public Hash256 ResultDigest;

    public long WorkUnits;

    /// <summary>The most the customer pays: the escrow locked at submission.</summary>
    public long MaxPrice;

    /// <summary>Micro-credits the record still holds (MaxPrice until final, then 0).</summary>
    public long Escrow;

    /// <summary>Agreed by the lease (what the settlement must pay), recorded again when settled.</summary>
    public long Price;

    public long Fee;

    /// <summary>Incremented by every lease; only the current token may extend, complete or fail it.</summary>
    public long FencingToken;

    public long LeaseDeadline;

    /// <summary>After this the job can only expire (its escrow refunded).</summary>
    public long Deadline;

    public long CreatedAt;

    public long FinishedAt;

    public JobStatus Status;

    /// <summary>Kernel kind, as numbered by the marketplace.</summary>
    public byte Kind;

    /// <summary>Leases taken so far.</summary>
    public byte Attempt;

    public byte MaxAttempts;

    public readonly bool IsEmpty => Status == JobStatus.None;

    public readonly bool IsFinal => Status is JobStatus.Settled or JobStatus.Failed or JobStatus.Cancelled or JobStatus.Expired;

    public readonly void WriteTo(Span<byte> destination)
    {
        Customer.WriteTo(destination);
        Provider.WriteTo(destination[20..]);
        Worker.WriteTo(destination[40..]);
        ParamsHash.WriteTo(destination[56..]);
        ResultDigest.WriteTo(destination[88..]);
        var longs = destination[120..];
        BinaryPrimitives.WriteInt64LittleEndian(longs, WorkUnits);
        BinaryPrimitives.WriteInt64LittleEndian(longs[8..], MaxPrice);
        BinaryPrimitives.WriteInt64LittleEndian(longs[16..], Escrow);
        BinaryPrimitives.WriteInt64LittleEndian(longs[24..], Price);
        BinaryPrimitives.WriteInt64LittleEndian(longs[32..], Fee);
        BinaryPrimitives.WriteInt64LittleEndian(longs[40..], FencingToken);
        BinaryPrimitives.WriteInt64LittleEndian(longs[48..], LeaseDeadline);
        BinaryPrimitives.WriteInt64LittleEndian(longs[56..], Deadline);
        BinaryPrimitives.WriteInt64LittleEndian(longs[64..], CreatedAt);
        BinaryPrimitives.WriteInt64LittleEndian(longs[72..], FinishedAt);
        destination[200] = (byte)Status;
        destination[201] = Kind;
        destination[202] = Attempt;
        destination[203] = MaxAttempts;
    }

    public static JobRecord ReadFrom(ReadOnlySpan<byte> source)
    {
        var longs = source[120..];
        return new JobRecord
        {
            Customer = new AccountId(source[..20]),
            Provider = new AccountId(source.Slice(20, 20)),
            Worker = TxId.ReadFrom(source[40..]),
            ParamsHash = Hash256.ReadFrom(source[56..]),
            ResultDigest = Hash256.ReadFrom(source[88..]),
            WorkUnits = BinaryPrimitives.ReadInt64LittleEndian(longs),
            MaxPrice = BinaryPrimitives.ReadInt64LittleEndian(longs[8..]),
            Escrow = BinaryPrimitives.ReadInt64LittleEndian(longs[16..]),
            Price = BinaryPrimitives.ReadInt64LittleEndian(longs[24..]),
            Fee = BinaryPrimitives.ReadInt64LittleEndian(longs[32..]),
            FencingToken = BinaryPrimitives.ReadInt64LittleEndian(longs[40..]),
            LeaseDeadline = BinaryPrimitives.ReadInt64LittleEndian(longs[48..]),
            Deadline = BinaryPrimitives.ReadInt64LittleEndian(longs[56..]),
            CreatedAt = BinaryPrimitives.ReadInt64LittleEndian(longs[64..]),
            FinishedAt = BinaryPrimitives.ReadInt64LittleEndian(longs[72..]),
            Status = (JobStatus)source[200],
            Kind = source[201],
            Attempt = source[202],
            MaxAttempts = source[203],
        };
    }

    public readonly bool Equals(JobRecord other)
    {
        Span<byte> a = stackalloc byte[EncodedSize];
        Span<byte> b = stackalloc byte[EncodedSize];
        WriteTo(a);
        other.WriteTo(b);
        return a.SequenceEqual(b);
    }

    public override readonly bool Equals(object? obj) => obj is JobRecord other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Customer, Worker, Status, FencingToken, Escrow);

    public static bool operator ==(JobRecord left, JobRecord right) => left.Equals(right);

    public static bool operator !=(JobRecord left, JobRecord right) => !left.Equals(right);
}
