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

        var needs = Requirements(program);
        var from = Address(dto.From, needs.From, prefix, "from", errors);
        var to = Address(dto.To, needs.To, prefix, "to", errors);
        var amount = Amount(dto.Amount, needs.Amount, prefix, errors);
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

        if (errors.Count != before)
        {
            return false;
        }

        transaction = new Transaction(id, program, from, to, amount, fee, job);
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
        ProgramKind.Withdraw => (true, false, true, false, false),
        ProgramKind.EscrowLock => (true, false, true, false, true),
        ProgramKind.EscrowRelease => (true, true, true, true, true),
        ProgramKind.EscrowRefund => (true, false, false, false, true),
        ProgramKind.Stake or ProgramKind.Unstake or ProgramKind.Slash => (true, false, true, false, false),
        ProgramKind.CompleteUnstake => (true, false, false, false, false),
        ProgramKind.RewardCredit => (false, true, true, false, false),
        _ => (false, false, false, false, false),
    };

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
