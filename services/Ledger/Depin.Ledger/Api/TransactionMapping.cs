using Depin.Contracts.Ledger;
using Depin.Ledger.Accounts;
using Depin.Ledger.Programs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Api;

/// <summary>Validates wire transactions and maps them to ledger transactions; every problem names its field.</summary>
public static class TransactionMapping
{
    /// <summary>Maps a whole batch, or returns field errors (keys like "transactions[3].amount") and maps nothing.</summary>
    public static Transaction[]? TryMapBatch(IReadOnlyList<LedgerTransactionDto>? dtos, int maxBatchSize, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (dtos is null || dtos.Count == 0)
        {
            errors["transactions"] = ["at least one transaction is required"];
            return null;
        }

        if (dtos.Count > maxBatchSize)
        {
            errors["transactions"] = [$"at most {maxBatchSize} transactions per batch (got {dtos.Count})"];
            return null;
        }

        var result = new Transaction[dtos.Count];
        var seen = new Dictionary<TxId, int>(dtos.Count);
        for (var i = 0; i < dtos.Count; i++)
        {
            if (dtos[i] is null)
            {
                errors[$"transactions[{i}]"] = ["a transaction object is required"];
                continue;
            }

            if (!TryMap(dtos[i], i, errors, out result[i]))
            {
                continue;
            }

            if (seen.TryGetValue(result[i].Id, out var first))
            {
                errors[$"transactions[{i}].id"] = [$"duplicate id: the same id is used by transactions[{first}]"];
            }
            else
            {
                seen[result[i].Id] = i;
            }
        }

        return errors.Count == 0 ? result : null;
    }

    /// <summary>Maps one transaction; error keys are "transactions[index].field".</summary>
    public static bool TryMap(LedgerTransactionDto dto, int index, Dictionary<string, string[]> errors, out Transaction transaction)
    {
        var prefix = new Prefix(index);
        transaction = default;
        var before = errors.Count;
        if (!TxId.TryParse(dto.Id, out var id))
        {
            errors[$"{prefix}.id"] = ["must be a UUID (32 hex digits or the hyphenated form), not empty"];
        }

        if (!Naming.TryParseProgram(dto.Program, out var program))
        {
            errors[$"{prefix}.program"] = [$"unknown program '{dto.Program}'; expected one of: {string.Join(", ", Naming.ProgramNamesList)}"];
            return false;
        }

        if (program == ProgramKind.JobPrune)
        {
            errors[$"{prefix}.program"] = ["job-prune is formed by the ledger node itself once a record's retention window has passed; it cannot be submitted"];
            return false;
        }

        var needs = Requirements(program);
        var from = Address(dto.From, needs.From, prefix, "from", errors);
        var to = Address(dto.To, needs.To, prefix, "to", errors);
        var amount = program == ProgramKind.JobLease ? Price(dto.Amount, prefix, errors) : Amount(dto.Amount, needs.Amount, prefix, errors);
        var fee = 0L;
        if (needs.Fee)
        {
            fee = dto.Fee ?? 0;
            if (fee < 0)
            {
                errors[$"{prefix}.fee"] = ["must be zero or a positive integer number of micro-credits"];
            }
            else if (fee > amount)
            {
                errors[$"{prefix}.fee"] = ["must not exceed amount"];
            }
        }

        var job = default(TxId);
        if (needs.Job && !TxId.TryParse(dto.Job, out job))
        {
            errors[$"{prefix}.job"] = ["must be the job's UUID"];
        }

        var payload = Payload(dto, program, prefix, errors);
        if (errors.Count != before)
        {
            return false;
        }

        transaction = new Transaction(id, program, from, to, amount, fee, job, payload);
        var shape = NativePrograms.CheckShape(transaction);
        switch (shape)
        {
            case ReceiptStatus.Success:
                return true;
            case ReceiptStatus.DuplicateAccount:
                errors[$"{prefix}.to"] = ["must differ from 'from'"];
                return false;
            case ReceiptStatus.InvalidAccount:
                errors[needs.From ? $"{prefix}.from" : $"{prefix}.to"] = ["this program does not accept a system or escrow account here"];
                return false;
            default:
                errors[prefix.ToString()] = [$"invalid transaction: {shape.Name()}"];
                return false;
        }
    }

    /// <summary>Builds error keys only when there is an error: the success path allocates no strings.</summary>
    private readonly record struct Prefix(int Index)
    {
        public override string ToString() => $"transactions[{Index}]";
    }

    private static (bool From, bool To, bool Amount, bool Fee, bool Job) Requirements(ProgramKind program) => program switch
    {
        ProgramKind.Transfer => (true, true, true, false, false),
        ProgramKind.Deposit => (false, true, true, false, false),
        ProgramKind.Withdraw => (true, true, true, false, false),
        ProgramKind.BridgeRelease => (false, false, true, false, false),
        ProgramKind.EscrowLock => (true, false, true, false, true),
        ProgramKind.EscrowRelease => (true, true, true, true, true),
        ProgramKind.EscrowRefund => (true, false, false, false, true),
        ProgramKind.Stake or ProgramKind.Unstake or ProgramKind.Slash => (true, false, true, false, false),
        ProgramKind.CompleteUnstake => (true, false, false, false, false),
        ProgramKind.RewardCredit => (false, true, true, false, false),
        ProgramKind.JobSubmit => (true, false, true, false, true),
        ProgramKind.JobLease => (false, true, false, true, true),
        ProgramKind.JobExtend or ProgramKind.JobComplete or ProgramKind.JobRelease => (false, false, false, false, true),
        ProgramKind.JobSettle => (true, true, true, true, true),
        ProgramKind.JobFail or ProgramKind.JobCancel or ProgramKind.JobExpire => (true, false, false, false, true),
        _ => (false, false, false, false, false),
    };

    /// <summary>The job programs' payload fields, each required where its program reads it.</summary>
    private static JobPayload Payload(LedgerTransactionDto dto, ProgramKind program, Prefix prefix, Dictionary<string, string[]> errors)
    {
        var digest = default(Commitment.Hash256);
        var worker = default(TxId);
        long token = 0, until = 0, workUnits = 0;
        byte kind = 0, maxAttempts = 0;
        var needsDigest = program is ProgramKind.JobSubmit or ProgramKind.JobComplete;
        var needsWorker = program is ProgramKind.JobLease or ProgramKind.JobExtend or ProgramKind.JobComplete or ProgramKind.JobRelease;
        var needsToken = program is ProgramKind.JobExtend or ProgramKind.JobComplete or ProgramKind.JobRelease;
        var needsUntil = program is ProgramKind.JobSubmit or ProgramKind.JobLease or ProgramKind.JobExtend;
        if (needsDigest && !Commitment.Hash256.TryParse(dto.Digest, out digest))
        {
            errors[$"{prefix}.digest"] = ["must be a SHA-256 digest: 64 hex digits"];
        }

        if ((needsWorker || (program == ProgramKind.JobFail && dto.Worker is not null)) && !TxId.TryParse(dto.Worker, out worker))
        {
            errors[$"{prefix}.worker"] = ["must be the worker's UUID"];
        }

        if (needsToken || program == ProgramKind.JobFail)
        {
            token = dto.Token ?? 0;
            if (token < 0 || (needsToken && dto.Token is null))
            {
                errors[$"{prefix}.token"] = ["must be the lease's fencing token, a positive integer"];
            }
        }

        if (needsUntil)
        {
            until = dto.Until ?? 0;
            if (until <= 0)
            {
                errors[$"{prefix}.until"] = ["must be a time in Unix milliseconds"];
            }
        }

        if (program == ProgramKind.JobSubmit)
        {
            workUnits = dto.WorkUnits ?? 0;
            if (workUnits <= 0)
            {
                errors[$"{prefix}.workUnits"] = ["must be a positive integer"];
            }

            if (dto.Kind is not (>= 0 and <= 255))
            {
                errors[$"{prefix}.kind"] = ["must be a kernel kind number within 0..255"];
            }
            else
            {
                kind = (byte)dto.Kind.Value;
            }

            if (dto.MaxAttempts is not (>= 1 and <= 255))
            {
                errors[$"{prefix}.maxAttempts"] = ["must be within 1..255"];
            }
            else
            {
                maxAttempts = (byte)dto.MaxAttempts.Value;
            }
        }
        else if (program == ProgramKind.JobFail && dto.Kind is not null)
        {
            // At job-fail the byte carries the submitter's reason code, which the job's history shows.
            if (dto.Kind is not (>= 0 and <= 255))
            {
                errors[$"{prefix}.kind"] = ["must be a reason code within 0..255"];
            }
            else
            {
                kind = (byte)dto.Kind.Value;
            }
        }

        return new JobPayload(digest, worker, token, until, workUnits, kind, maxAttempts);
    }

    private static AccountId Address(string? text, bool required, Prefix prefix, string name, Dictionary<string, string[]> errors)
    {
        if (!required)
        {
            return default;
        }

        if (!AccountId.TryParse(text, out var id) || id.IsZero)
        {
            errors[$"{prefix}.{name}"] = ["must be a 20-byte address: 0x followed by 40 hex digits"];
        }

        return id;
    }

    /// <summary>The price a lease agrees (zero for a free job).</summary>
    private static long Price(long? amount, Prefix prefix, Dictionary<string, string[]> errors)
    {
        if (amount is < 0)
        {
            errors[$"{prefix}.amount"] = ["must be the agreed price: zero or a positive integer number of micro-credits"];
            return 0;
        }

        return amount ?? 0;
    }

    private static long Amount(long? amount, bool required, Prefix prefix, Dictionary<string, string[]> errors)
    {
        if (!required)
        {
            return 0;
        }

        if (amount is null or <= 0)
        {
            errors[$"{prefix}.amount"] = ["must be a positive integer number of micro-credits"];
            return 0;
        }

        return amount.Value;
    }
}
