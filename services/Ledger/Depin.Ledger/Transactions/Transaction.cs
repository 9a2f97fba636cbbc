using System.Buffers.Binary;
using Depin.Ledger.Accounts;

namespace Depin.Ledger.Transactions;

/// <summary>One ledger transaction: a native program with its accounts, amounts (micro-credits) and, for job programs, a payload.</summary>
public readonly record struct Transaction(
    TxId Id,
    ProgramKind Program,
    AccountId From,
    AccountId To,
    long Amount,
    long Fee = 0,
    TxId Job = default,
    JobPayload Payload = default)
{
    public const int EncodedSize = TxId.Size + 1 + AccountId.Size * 2 + 8 + 8 + TxId.Size + JobPayload.EncodedSize;

    /// <summary>True for the job programs, which read and may write the job record of <see cref="Job"/>.</summary>
    public bool HasJobRecord => Program >= ProgramKind.JobSubmit && Program <= ProgramKind.JobPrune;

    public static Transaction Transfer(TxId id, AccountId from, AccountId to, long amount) => new(id, ProgramKind.Transfer, from, to, amount);

    public static Transaction Deposit(TxId id, AccountId to, long amount) => new(id, ProgramKind.Deposit, default, to, amount);

    public static Transaction Withdraw(TxId id, AccountId from, AccountId wallet, long amount) => new(id, ProgramKind.Withdraw, from, wallet, amount);

    public static Transaction BridgeRelease(TxId id, long amount) => new(id, ProgramKind.BridgeRelease, default, default, amount);

    public static Transaction EscrowLock(TxId id, TxId job, AccountId customer, long amount) => new(id, ProgramKind.EscrowLock, customer, default, amount, 0, job);

    public static Transaction EscrowRelease(TxId id, TxId job, AccountId customer, AccountId provider, long price, long fee) =>
        new(id, ProgramKind.EscrowRelease, customer, provider, price, fee, job);

    public static Transaction EscrowRefund(TxId id, TxId job, AccountId customer) => new(id, ProgramKind.EscrowRefund, customer, default, 0, 0, job);

    public static Transaction Stake(TxId id, AccountId provider, long amount) => new(id, ProgramKind.Stake, provider, default, amount);

    public static Transaction Unstake(TxId id, AccountId provider, long amount) => new(id, ProgramKind.Unstake, provider, default, amount);

    public static Transaction CompleteUnstake(TxId id, AccountId provider) => new(id, ProgramKind.CompleteUnstake, provider, default, 0);

    public static Transaction Slash(TxId id, AccountId provider, long amount) => new(id, ProgramKind.Slash, provider, default, amount);

    public static Transaction RewardCredit(TxId id, AccountId provider, long amount) => new(id, ProgramKind.RewardCredit, default, provider, amount);

    /// <summary>
    /// The accounts the program reads and may write, in a fixed order. Block-STM still discovers the actual
    /// reads and writes at run time (a failed transaction writes nothing); this only names the addresses.
    /// </summary>
    public int DeclaredAccounts(Span<AccountId> accounts)
    {
        switch (Program)
        {
            case ProgramKind.Transfer:
                accounts[0] = From;
                accounts[1] = To;
                return 2;
            case ProgramKind.Deposit:
                accounts[0] = To;
                return 1;
            case ProgramKind.Withdraw:
                accounts[0] = From;
                accounts[1] = SystemAccounts.Bridge;
                return 2;
            case ProgramKind.BridgeRelease:
                accounts[0] = SystemAccounts.Bridge;
                return 1;
            case ProgramKind.Stake:
            case ProgramKind.Unstake:
            case ProgramKind.CompleteUnstake:
                accounts[0] = From;
                return 1;
            case ProgramKind.EscrowLock:
                accounts[0] = From;
                accounts[1] = AccountId.Escrow(Job);
                return 2;
            case ProgramKind.EscrowRelease:
                accounts[0] = AccountId.Escrow(Job);
                accounts[1] = To;
                accounts[2] = SystemAccounts.Treasury;
                accounts[3] = From;
                return 4;
            case ProgramKind.EscrowRefund:
                accounts[0] = AccountId.Escrow(Job);
                accounts[1] = From;
                return 2;
            case ProgramKind.Slash:
                accounts[0] = From;
                accounts[1] = SystemAccounts.Treasury;
                return 2;
            case ProgramKind.RewardCredit:
                accounts[0] = SystemAccounts.RewardPool;
                accounts[1] = To;
                return 2;
            case ProgramKind.JobSubmit:
            case ProgramKind.JobFail:
            case ProgramKind.JobCancel:
            case ProgramKind.JobExpire:
                accounts[0] = From;
                return 1;
            case ProgramKind.JobSettle:
                accounts[0] = To;
                accounts[1] = SystemAccounts.Treasury;
                accounts[2] = From;
                return 3;
            default:
                return 0;
        }
    }

    public void WriteTo(Span<byte> destination)
    {
        Id.WriteTo(destination);
        destination[16] = (byte)Program;
        From.WriteTo(destination[17..]);
        To.WriteTo(destination[37..]);
        BinaryPrimitives.WriteInt64LittleEndian(destination[57..], Amount);
        BinaryPrimitives.WriteInt64LittleEndian(destination[65..], Fee);
        Job.WriteTo(destination[73..]);
        Payload.WriteTo(destination[89..]);
    }

    public static Transaction ReadFrom(ReadOnlySpan<byte> source) => new(
        TxId.ReadFrom(source),
        (ProgramKind)source[16],
        new AccountId(source.Slice(17, AccountId.Size)),
        new AccountId(source.Slice(37, AccountId.Size)),
        BinaryPrimitives.ReadInt64LittleEndian(source[57..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[65..]),
        TxId.ReadFrom(source[73..]),
        JobPayload.ReadFrom(source[89..]));
}
