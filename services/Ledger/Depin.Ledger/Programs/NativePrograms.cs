using System.Runtime.CompilerServices;
using Depin.Ledger.Accounts;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Programs;

/// <summary>
/// The native programs as pure functions over the transaction's declared accounts (in
/// <see cref="Transaction.DeclaredAccounts"/> order). They never throw and write nothing on failure,
/// so both executors share one definition of every state change.
/// </summary>
public static class NativePrograms
{
    /// <summary>The bit of a write mask that says the job record changed (bits 0..3 are the declared accounts).</summary>
    public const int RecordWritten = 1 << 4;

    /// <summary>
    /// Executes <paramref name="tx"/> in place on <paramref name="accounts"/> and, for job programs, <paramref name="job"/>;
    /// <paramref name="writeMask"/> has bit k set where account k changed and <see cref="RecordWritten"/> when the record did.
    /// </summary>
    public static ReceiptStatus Execute(in Transaction tx, in BlockContext block, Span<AccountState> accounts, ref Jobs.JobRecord job, out int writeMask)
    {
        writeMask = 0;
        if (tx.Amount < 0 || tx.Fee < 0)
        {
            return ReceiptStatus.InvalidAmount;
        }

        if (tx.HasJobRecord)
        {
            return JobPrograms.Execute(tx, block, accounts, ref job, ref writeMask);
        }

        var unbondingDelayMs = block.UnbondingDelayMs;
        switch (tx.Program)
        {
            case ProgramKind.Transfer:
            case ProgramKind.RewardCredit:
                // A reward credit is a move out of the reward pool, which is its first declared account.
                return Move(tx, accounts, ref writeMask);
            case ProgramKind.Deposit:
                return Deposit(tx, accounts, ref writeMask);
            case ProgramKind.Withdraw:
                // The bridge account is the second declared account; To only names the wallet on chain.
                return Move(tx, accounts, ref writeMask);
            case ProgramKind.BridgeRelease:
                return Debit(tx, accounts, ref writeMask);
            case ProgramKind.EscrowLock:
                return EscrowLock(tx, accounts, ref writeMask);
            case ProgramKind.EscrowRelease:
                return EscrowRelease(tx, accounts, ref writeMask);
            case ProgramKind.EscrowRefund:
                return EscrowRefund(tx, accounts, ref writeMask);
            case ProgramKind.Stake:
                return Stake(tx, accounts, ref writeMask);
            case ProgramKind.Unstake:
                return Unstake(tx, block.TimestampMs, unbondingDelayMs, accounts, ref writeMask);
            case ProgramKind.CompleteUnstake:
                return CompleteUnstake(block.TimestampMs, accounts, ref writeMask);
            case ProgramKind.Slash:
                return Slash(tx, accounts, ref writeMask);
            default:
                return ReceiptStatus.UnknownProgram;
        }
    }

    /// <summary>Static checks that need no state: account kinds, duplicates, positive amounts.</summary>
    public static ReceiptStatus CheckShape(in Transaction tx)
    {
        if (tx.HasJobRecord)
        {
            return JobPrograms.CheckShape(tx);
        }

        switch (tx.Program)
        {
            case ProgramKind.Transfer:
                // The treasury pays out too (e.g. the escrow of the platform's canary jobs); nothing is paid into a system account.
                if (!(tx.From.IsRegular || tx.From == SystemAccounts.Treasury) || !tx.To.IsRegular)
                {
                    return ReceiptStatus.InvalidAccount;
                }

                if (tx.From == tx.To)
                {
                    return ReceiptStatus.DuplicateAccount;
                }

                return Positive(tx.Amount);
            case ProgramKind.Deposit:
                return tx.To.IsRegular || tx.To == SystemAccounts.RewardPool ? Positive(tx.Amount) : ReceiptStatus.InvalidAccount;
            case ProgramKind.Withdraw:
                return (tx.From.IsRegular || tx.From == SystemAccounts.Treasury) && tx.To.IsRegular ? Positive(tx.Amount) : ReceiptStatus.InvalidAccount;
            case ProgramKind.BridgeRelease:
                return Positive(tx.Amount);
            case ProgramKind.EscrowLock:
                return tx.From.IsRegular && !tx.Job.IsEmpty ? Positive(tx.Amount) : ReceiptStatus.InvalidAccount;
            case ProgramKind.EscrowRelease:
                if (!tx.From.IsRegular || !tx.To.IsRegular || tx.Job.IsEmpty)
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
            case ProgramKind.EscrowRefund:
                return tx.From.IsRegular && !tx.Job.IsEmpty ? ReceiptStatus.Success : ReceiptStatus.InvalidAccount;
            case ProgramKind.Stake:
            case ProgramKind.Unstake:
            case ProgramKind.Slash:
                return tx.From.IsRegular ? Positive(tx.Amount) : ReceiptStatus.InvalidAccount;
            case ProgramKind.CompleteUnstake:
                return tx.From.IsRegular ? ReceiptStatus.Success : ReceiptStatus.InvalidAccount;
            case ProgramKind.RewardCredit:
                return tx.To.IsRegular ? Positive(tx.Amount) : ReceiptStatus.InvalidAccount;
            default:
                return ReceiptStatus.UnknownProgram;
        }
    }

    private static ReceiptStatus Positive(long amount) => amount > 0 ? ReceiptStatus.Success : ReceiptStatus.InvalidAmount;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryAdd(long a, long b, out long sum)
    {
        sum = a + b;
        return b <= long.MaxValue - a;
    }

    /// <summary>Moves Amount from account 0 to account 1.</summary>
    private static ReceiptStatus Move(in Transaction tx, Span<AccountState> acc, ref int mask)
    {
        if (acc[0].Balance < tx.Amount)
        {
            return ReceiptStatus.InsufficientFunds;
        }

        if (!TryAdd(acc[1].Balance, tx.Amount, out var credited))
        {
            return ReceiptStatus.Overflow;
        }

        acc[0].Balance -= tx.Amount;
        acc[1].Balance = credited;
        mask = 0b11;
        return ReceiptStatus.Success;
    }

    private static ReceiptStatus Deposit(in Transaction tx, Span<AccountState> acc, ref int mask)
    {
        if (!TryAdd(acc[0].Balance, tx.Amount, out var credited))
        {
            return ReceiptStatus.Overflow;
        }

        acc[0].Balance = credited;
        mask = 0b1;
        return ReceiptStatus.Success;
    }

    /// <summary>Takes Amount out of account 0.</summary>
    private static ReceiptStatus Debit(in Transaction tx, Span<AccountState> acc, ref int mask)
    {
        if (acc[0].Balance < tx.Amount)
        {
            return ReceiptStatus.InsufficientFunds;
        }

        acc[0].Balance -= tx.Amount;
        mask = 0b1;
        return ReceiptStatus.Success;
    }

    private static ReceiptStatus EscrowLock(in Transaction tx, Span<AccountState> acc, ref int mask)
    {
        if (acc[1].Escrow != EscrowStatus.None)
        {
            return ReceiptStatus.EscrowAlreadyExists;
        }

        if (acc[0].Balance < tx.Amount)
        {
            return ReceiptStatus.InsufficientFunds;
        }

        acc[0].Balance -= tx.Amount;
        acc[1].Balance = tx.Amount;
        acc[1].EscrowOwner = tx.From;
        acc[1].Escrow = EscrowStatus.Locked;
        mask = 0b11;
        return ReceiptStatus.Success;
    }

    private static ReceiptStatus EscrowRelease(in Transaction tx, Span<AccountState> acc, ref int mask)
    {
        ref var escrow = ref acc[0];
        if (escrow.Escrow != EscrowStatus.Locked)
        {
            return ReceiptStatus.EscrowNotLocked;
        }

        if (escrow.EscrowOwner != tx.From)
        {
            return ReceiptStatus.EscrowOwnerMismatch;
        }

        if (tx.Fee > tx.Amount)
        {
            return ReceiptStatus.FeeExceedsAmount;
        }

        if (tx.Amount > escrow.Balance)
        {
            return ReceiptStatus.AmountExceedsEscrow;
        }

        var refund = escrow.Balance - tx.Amount;
        if (!TryAdd(acc[1].Balance, tx.Amount - tx.Fee, out var provider) ||
            !TryAdd(acc[2].Balance, tx.Fee, out var treasury) ||
            !TryAdd(acc[3].Balance, refund, out var customer))
        {
            return ReceiptStatus.Overflow;
        }

        escrow.Balance = 0;
        escrow.Escrow = EscrowStatus.Released;
        acc[1].Balance = provider;
        acc[2].Balance = treasury;
        acc[3].Balance = customer;
        mask = 0b1111;
        return ReceiptStatus.Success;
    }

    private static ReceiptStatus EscrowRefund(in Transaction tx, Span<AccountState> acc, ref int mask)
    {
        ref var escrow = ref acc[0];
        if (escrow.Escrow != EscrowStatus.Locked)
        {
            return ReceiptStatus.EscrowNotLocked;
        }

        if (escrow.EscrowOwner != tx.From)
        {
            return ReceiptStatus.EscrowOwnerMismatch;
        }

        if (!TryAdd(acc[1].Balance, escrow.Balance, out var customer))
        {
            return ReceiptStatus.Overflow;
        }

        acc[1].Balance = customer;
        escrow.Balance = 0;
        escrow.Escrow = EscrowStatus.Refunded;
        mask = 0b11;
        return ReceiptStatus.Success;
    }

    private static ReceiptStatus Stake(in Transaction tx, Span<AccountState> acc, ref int mask)
    {
        if (acc[0].Balance < tx.Amount)
        {
            return ReceiptStatus.InsufficientFunds;
        }

        if (!TryAdd(acc[0].Staked, tx.Amount, out var staked))
        {
            return ReceiptStatus.Overflow;
        }

        acc[0].Balance -= tx.Amount;
        acc[0].Staked = staked;
        mask = 0b1;
        return ReceiptStatus.Success;
    }

    private static ReceiptStatus Unstake(in Transaction tx, long timestampMs, long unbondingDelayMs, Span<AccountState> acc, ref int mask)
    {
        if (acc[0].Staked < tx.Amount)
        {
            return ReceiptStatus.InsufficientStake;
        }

        if (!TryAdd(acc[0].Unbonding, tx.Amount, out var unbonding))
        {
            return ReceiptStatus.Overflow;
        }

        // A later unstake restarts the delay for everything unbonding: it all matures together.
        if (!TryAdd(timestampMs, unbondingDelayMs, out var release))
        {
            return ReceiptStatus.Overflow;
        }

        acc[0].Staked -= tx.Amount;
        acc[0].Unbonding = unbonding;
        acc[0].UnbondingReleaseMs = release;
        mask = 0b1;
        return ReceiptStatus.Success;
    }

    private static ReceiptStatus CompleteUnstake(long timestampMs, Span<AccountState> acc, ref int mask)
    {
        if (acc[0].Unbonding == 0)
        {
            return ReceiptStatus.NothingUnbonding;
        }

        if (timestampMs < acc[0].UnbondingReleaseMs)
        {
            return ReceiptStatus.UnbondingNotMatured;
        }

        if (!TryAdd(acc[0].Balance, acc[0].Unbonding, out var balance))
        {
            return ReceiptStatus.Overflow;
        }

        acc[0].Balance = balance;
        acc[0].Unbonding = 0;
        acc[0].UnbondingReleaseMs = 0;
        mask = 0b1;
        return ReceiptStatus.Success;
    }

    private static ReceiptStatus Slash(in Transaction tx, Span<AccountState> acc, ref int mask)
    {
        ref var offender = ref acc[0];
        if (!TryAdd(offender.Staked, offender.Unbonding, out var slashable))
        {
            return ReceiptStatus.Overflow;
        }

        if (slashable < tx.Amount)
        {
            return ReceiptStatus.InsufficientStake;
        }

        if (!TryAdd(acc[1].Balance, tx.Amount, out var treasury))
        {
            return ReceiptStatus.Overflow;
        }

        var fromStake = Math.Min(offender.Staked, tx.Amount);
        offender.Staked -= fromStake;
        offender.Unbonding -= tx.Amount - fromStake;
        if (offender.Unbonding == 0)
        {
            offender.UnbondingReleaseMs = 0;
        }

        acc[1].Balance = treasury;
        mask = 0b11;
        return ReceiptStatus.Success;
    }
}
