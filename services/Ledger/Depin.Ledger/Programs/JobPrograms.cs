using Depin.Ledger.Accounts;
using Depin.Ledger.Jobs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Programs;

/// <summary>
/// The job lifecycle as native programs over the job record and the accounts its money moves between. The ledger has no
/// signatures: it checks that each transition is legal (state, fencing token, lease and job deadlines, amounts), while
/// claims such as "this worker holds the lease" or "the result verified" are made by the marketplace, the only service
/// with a credential for these programs. Time is the block's timestamp. Failures write nothing.
/// </summary>
internal static class JobPrograms
{
    public static ReceiptStatus Execute(in Transaction tx, in BlockContext block, Span<AccountState> acc, ref JobRecord job, ref int mask) => tx.Program switch
    {
        ProgramKind.JobSubmit => Submit(tx, block, acc, ref job, ref mask),
        ProgramKind.JobLease => Lease(tx, block, ref job, ref mask),
        ProgramKind.JobExtend => Extend(tx, block, ref job, ref mask),
        ProgramKind.JobComplete => Complete(tx, block, ref job, ref mask),
        ProgramKind.JobSettle => Settle(tx, block, acc, ref job, ref mask),
        ProgramKind.JobFail => Fail(tx, block, acc, ref job, ref mask),
        ProgramKind.JobCancel => Cancel(tx, block, acc, ref job, ref mask),
        ProgramKind.JobExpire => Expire(tx, block, acc, ref job, ref mask),
        ProgramKind.JobRelease => Release(tx, block, ref job, ref mask),
        ProgramKind.JobPrune => Prune(tx, block, ref job, ref mask),
        _ => ReceiptStatus.UnknownProgram,
    };

    /// <summary>Static checks of the job programs: account kinds, amounts, payload.</summary>
    public static ReceiptStatus CheckShape(in Transaction tx)
    {
        if (tx.Job.IsEmpty)
        {
            return ReceiptStatus.InvalidAccount;
        }

        switch (tx.Program)
        {
            case ProgramKind.JobSubmit:
                if (!tx.From.IsRegular)
                {
                    return ReceiptStatus.InvalidAccount;
                }

                if (tx.Amount <= 0)
                {
                    return ReceiptStatus.InvalidAmount;
                }

                return tx.Payload.MaxAttempts == 0 || tx.Payload.WorkUnits <= 0 ? ReceiptStatus.InvalidPayload : ReceiptStatus.Success;
            case ProgramKind.JobLease:
                if (!tx.To.IsRegular)
                {
                    return ReceiptStatus.InvalidAccount;
                }

                if (tx.Amount < 0 || tx.Fee < 0)
                {
                    return ReceiptStatus.InvalidAmount;
                }

                if (tx.Fee > tx.Amount)
                {
                    return ReceiptStatus.FeeExceedsAmount;
                }

                return tx.Payload.Worker.IsEmpty ? ReceiptStatus.InvalidPayload : ReceiptStatus.Success;
            case ProgramKind.JobExtend:
            case ProgramKind.JobComplete:
            case ProgramKind.JobRelease:
                return tx.Payload.Worker.IsEmpty ? ReceiptStatus.InvalidPayload : ReceiptStatus.Success;
            case ProgramKind.JobSettle:
                if (!tx.From.IsRegular || !tx.To.IsRegular)
                {
                    return ReceiptStatus.InvalidAccount;
                }

                if (tx.From == tx.To)
                {
                    return ReceiptStatus.DuplicateAccount;
                }

                if (tx.Amount < 0 || tx.Fee < 0)
                {
                    return ReceiptStatus.InvalidAmount;
                }

                return tx.Fee > tx.Amount ? ReceiptStatus.FeeExceedsAmount : ReceiptStatus.Success;
            case ProgramKind.JobFail:
            case ProgramKind.JobCancel:
            case ProgramKind.JobExpire:
                return tx.From.IsRegular ? ReceiptStatus.Success : ReceiptStatus.InvalidAccount;
            case ProgramKind.JobPrune:
                return tx.Fee == 0 ? ReceiptStatus.Success : ReceiptStatus.InvalidAmount;
            default:
                return ReceiptStatus.UnknownProgram;
        }
    }

    private static ReceiptStatus Submit(in Transaction tx, in BlockContext block, Span<AccountState> acc, ref JobRecord job, ref int mask)
    {
        if (!job.IsEmpty)
        {
            return ReceiptStatus.JobAlreadyExists;
        }

        if (tx.Payload.Until <= block.TimestampMs)
        {
            return ReceiptStatus.DeadlinePassed;
        }

        if (acc[0].Balance < tx.Amount)
        {
            return ReceiptStatus.InsufficientFunds;
        }

        acc[0].Balance -= tx.Amount;
        job = new JobRecord
        {
            Customer = tx.From,
            ParamsHash = tx.Payload.Digest,
            WorkUnits = tx.Payload.WorkUnits,
            MaxPrice = tx.Amount,
            Escrow = tx.Amount,
            Deadline = tx.Payload.Until,
            CreatedAt = block.TimestampMs,
            Status = JobStatus.Queued,
            Kind = tx.Payload.Kind,
            MaxAttempts = tx.Payload.MaxAttempts,
        };
        mask = 0b1 | NativePrograms.RecordWritten;
        return ReceiptStatus.Success;
    }

    private static ReceiptStatus Lease(in Transaction tx, in BlockContext block, ref JobRecord job, ref int mask)
    {
        if (job.IsEmpty)
        {
            return ReceiptStatus.JobNotFound;
        }

        if (job.Status != JobStatus.Queued || job.Attempt >= job.MaxAttempts)
        {
            return ReceiptStatus.JobWrongStatus;
        }

        if (block.TimestampMs >= job.Deadline)
        {
            return ReceiptStatus.DeadlinePassed;
        }

        if (tx.Payload.Until <= block.TimestampMs)
        {
            return ReceiptStatus.InvalidPayload;
        }

        if (tx.Amount > job.Escrow)
        {
            return ReceiptStatus.AmountExceedsEscrow;
        }

        job.Status = JobStatus.Leased;
        job.Price = tx.Amount;
        job.Fee = tx.Fee;
        job.Worker = tx.Payload.Worker;
        job.Provider = tx.To;
        job.FencingToken++;
        job.LeaseDeadline = tx.Payload.Until;
        job.Attempt++;
        mask = NativePrograms.RecordWritten;
        return ReceiptStatus.Success;
    }

    private static ReceiptStatus Extend(in Transaction tx, in BlockContext block, ref JobRecord job, ref int mask)
    {
        var held = CheckLeaseholder(tx, block, job);
        if (held != ReceiptStatus.Success)
        {
            return held;
        }

        if (tx.Payload.Until <= block.TimestampMs)
        {
            return ReceiptStatus.InvalidPayload;
        }

        job.LeaseDeadline = tx.Payload.Until;
        mask = NativePrograms.RecordWritten;
        return ReceiptStatus.Success;
    }

    private static ReceiptStatus Complete(in Transaction tx, in BlockContext block, ref JobRecord job, ref int mask)
    {
        var held = CheckLeaseholder(tx, block, job);
        if (held != ReceiptStatus.Success)
        {
            return held;
        }

        job.Status = JobStatus.Completed;
        job.ResultDigest = tx.Payload.Digest;
        mask = NativePrograms.RecordWritten;
        return ReceiptStatus.Success;
    }

    /// <summary>
    /// Only a completed job, and so only once, at the price and fee agreed by its lease: provider To gets Amount − Fee,
    /// the treasury Fee, customer From the rest of the escrow.
    /// </summary>
    private static ReceiptStatus Settle(in Transaction tx, in BlockContext block, Span<AccountState> acc, ref JobRecord job, ref int mask)
    {
        if (job.IsEmpty)
        {
            return ReceiptStatus.JobNotFound;
        }

        if (job.Status != JobStatus.Completed)
        {
            return ReceiptStatus.JobWrongStatus;
        }

        if (job.Customer != tx.From)
        {
            return ReceiptStatus.CustomerMismatch;
        }

        if (job.Provider != tx.To)
        {
            return ReceiptStatus.ProviderMismatch;
        }

        if (tx.Amount != job.Price || tx.Fee != job.Fee)
        {
            return ReceiptStatus.PriceMismatch;
        }

        var refund = job.Escrow - tx.Amount;
        if (!NativePrograms.TryAdd(acc[0].Balance, tx.Amount - tx.Fee, out var provider) ||
            !NativePrograms.TryAdd(acc[1].Balance, tx.Fee, out var treasury) ||
            !NativePrograms.TryAdd(acc[2].Balance, refund, out var customer))
        {
            return ReceiptStatus.Overflow;
        }

        acc[0].Balance = provider;
        acc[1].Balance = treasury;
        acc[2].Balance = customer;
        job.Status = JobStatus.Settled;
        job.Price = tx.Amount;
        job.Fee = tx.Fee;
        job.Escrow = 0;
        job.FinishedAt = block.TimestampMs;
        mask = 0b111 | NativePrograms.RecordWritten;
        return ReceiptStatus.Success;
    }

    /// <summary>
    /// Ends the current attempt: by the leaseholder (a failed run, or a result that failed verification) or by anyone once
    /// the lease expired. With attempts left and time before the deadline the job is queued again; else it fails and is refunded.
    /// </summary>
    private static ReceiptStatus Fail(in Transaction tx, in BlockContext block, Span<AccountState> acc, ref JobRecord job, ref int mask)
    {
        if (job.IsEmpty)
        {
            return ReceiptStatus.JobNotFound;
        }

        if (job.Status is not (JobStatus.Leased or JobStatus.Completed))
        {
            return ReceiptStatus.JobWrongStatus;
        }

        if (job.Customer != tx.From)
        {
            return ReceiptStatus.CustomerMismatch;
        }

        var holder = job.Worker == tx.Payload.Worker && job.FencingToken == tx.Payload.Token;
        if (!holder && !(job.Status == JobStatus.Leased && block.TimestampMs > job.LeaseDeadline))
        {
            return job.Status == JobStatus.Leased ? ReceiptStatus.LeaseNotExpired : ReceiptStatus.NotLeaseholder;
        }

        if (job.Attempt < job.MaxAttempts && block.TimestampMs < job.Deadline)
        {
            job.Status = JobStatus.Queued;
            job.Worker = default;
            job.Provider = default;
            job.LeaseDeadline = 0;
            job.ResultDigest = default;
            job.Price = 0;
            job.Fee = 0;
            mask = NativePrograms.RecordWritten;
            return ReceiptStatus.Success;
        }

        return Refund(JobStatus.Failed, block, acc, ref job, ref mask);
    }

    /// <summary>
    /// The leaseholder gives the job back (a worker shutting down): queued again, and the attempt is given back too, since
    /// the budget counts failures. The fencing token still moves on with the next lease.
    /// </summary>
    private static ReceiptStatus Release(in Transaction tx, in BlockContext block, ref JobRecord job, ref int mask)
    {
        var held = CheckLeaseholder(tx, block, job);
        if (held != ReceiptStatus.Success)
        {
            return held;
        }

        job.Status = JobStatus.Queued;
        job.Worker = default;
        job.Provider = default;
        job.LeaseDeadline = 0;
        job.Price = 0;
        job.Fee = 0;
        job.Attempt--;
        mask = NativePrograms.RecordWritten;
        return ReceiptStatus.Success;
    }

    /// <summary>
    /// Empties a final record that holds no escrow once the retention window (Amount, in ms) has passed since it finished;
    /// the executor then frees its slot for a later job. Its settlement stays provable at the anchored heights before.
    /// </summary>
    private static ReceiptStatus Prune(in Transaction tx, in BlockContext block, ref JobRecord job, ref int mask)
    {
        if (job.IsEmpty)
        {
            return ReceiptStatus.JobNotFound;
        }

        if (!job.IsFinal || job.Escrow != 0)
        {
            return ReceiptStatus.JobWrongStatus;
        }

        if (block.TimestampMs - job.FinishedAt < tx.Amount)
        {
            return ReceiptStatus.RetentionNotReached;
        }

        job = default;
        mask = NativePrograms.RecordWritten;
        return ReceiptStatus.Success;
    }

    private static ReceiptStatus Cancel(in Transaction tx, in BlockContext block, Span<AccountState> acc, ref JobRecord job, ref int mask)
    {
        if (job.IsEmpty)
        {
            return ReceiptStatus.JobNotFound;
        }

        if (job.Customer != tx.From)
        {
            return ReceiptStatus.CustomerMismatch;
        }

        return job.Status == JobStatus.Queued ? Refund(JobStatus.Cancelled, block, acc, ref job, ref mask) : ReceiptStatus.JobWrongStatus;
    }

    /// <summary>A queued or leased job past its deadline; a completed one is left to settle or fail.</summary>
    private static ReceiptStatus Expire(in Transaction tx, in BlockContext block, Span<AccountState> acc, ref JobRecord job, ref int mask)
    {
        if (job.IsEmpty)
        {
            return ReceiptStatus.JobNotFound;
        }

        if (job.Status is not (JobStatus.Queued or JobStatus.Leased))
        {
            return ReceiptStatus.JobWrongStatus;
        }

        if (job.Customer != tx.From)
        {
            return ReceiptStatus.CustomerMismatch;
        }

        return block.TimestampMs < job.Deadline ? ReceiptStatus.DeadlineNotReached : Refund(JobStatus.Expired, block, acc, ref job, ref mask);
    }

    private static ReceiptStatus CheckLeaseholder(in Transaction tx, in BlockContext block, in JobRecord job)
    {
        if (job.IsEmpty)
        {
            return ReceiptStatus.JobNotFound;
        }

        if (job.Status != JobStatus.Leased)
        {
            return ReceiptStatus.JobWrongStatus;
        }

        if (job.Worker != tx.Payload.Worker || job.FencingToken != tx.Payload.Token)
        {
            return ReceiptStatus.NotLeaseholder;
        }

        return block.TimestampMs > job.LeaseDeadline ? ReceiptStatus.LeaseExpired : ReceiptStatus.Success;
    }

    private static ReceiptStatus Refund(JobStatus final, in BlockContext block, Span<AccountState> acc, ref JobRecord job, ref int mask)
    {
        if (!NativePrograms.TryAdd(acc[0].Balance, job.Escrow, out var customer))
        {
            return ReceiptStatus.Overflow;
        }

        acc[0].Balance = customer;
        job.Status = final;
        job.Escrow = 0;
        job.FinishedAt = block.TimestampMs;
        mask = 0b1 | NativePrograms.RecordWritten;
        return ReceiptStatus.Success;
    }
}
