using Depin.Ledger.Accounts;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Tests;

/// <summary>Random blocks over every program, with a tunable number of accounts (contention).</summary>
internal static class RandomBlocks
{
    public static Transaction[] Genesis(int accounts, long balance)
    {
        var txs = new Transaction[accounts + 1];
        for (var i = 0; i < accounts; i++)
        {
            txs[i] = Transaction.Deposit(TxId.New(), Account(i), balance);
        }

        txs[accounts] = Transaction.Deposit(TxId.New(), SystemAccounts.RewardPool, balance * 10);
        return txs;
    }

    public static AccountId Account(int i) => AccountId.FromNumber((ulong)i + 1);

    public static Transaction[] Block(Random random, int size, int accounts, List<TxId> jobs)
    {
        var txs = new Transaction[size];
        // A third of the blocks also pay out of the treasury, a use of a hot account that is not a commutative delta.
        var treasuryPayout = random.Next(3) == 0 ? random.Next(size) : -1;
        for (var i = 0; i < size; i++)
        {
            var from = Account(random.Next(accounts));
            var to = Account(random.Next(accounts));
            var amount = random.Next(10) == 0 ? (long)random.Next(1_000_000, int.MaxValue) : random.Next(0, 2_000);
            if (random.Next(50) == 0)
            {
                amount = long.MaxValue - random.Next(3);
            }

            var job = jobs.Count > 0 && random.Next(3) > 0 ? jobs[random.Next(jobs.Count)] : TxId.New();
            txs[i] = random.Next(14) switch
            {
                0 => Transaction.Deposit(TxId.New(), to, amount),
                1 => Transaction.Withdraw(TxId.New(), from, to, amount),
                2 => Lock(job, from, amount, jobs),
                3 => Transaction.EscrowRelease(TxId.New(), job, from, to, amount, amount / 10),
                4 => Transaction.EscrowRefund(TxId.New(), job, from),
                5 => Transaction.Stake(TxId.New(), from, amount),
                6 => Transaction.Unstake(TxId.New(), from, amount),
                7 => Transaction.CompleteUnstake(TxId.New(), from),
                8 => Transaction.Slash(TxId.New(), from, amount),
                9 => Transaction.RewardCredit(TxId.New(), to, amount),
                10 => new Transaction(TxId.New(), (ProgramKind)random.Next(0, 24), from, to, amount),
                11 => Transaction.BridgeRelease(TxId.New(), amount),
                12 when random.Next(4) == 0 => Transaction.Deposit(TxId.New(), SystemAccounts.RewardPool, amount),
                _ => Transaction.Transfer(TxId.New(), from, to, amount),
            };
            if (i == treasuryPayout)
            {
                txs[i] = Transaction.Transfer(TxId.New(), SystemAccounts.Treasury, to, 1 + random.Next(100));
            }
        }

        return txs;
    }

    private static Transaction Lock(TxId job, AccountId customer, long amount, List<TxId> jobs)
    {
        jobs.Add(job);
        return Transaction.EscrowLock(TxId.New(), job, customer, amount);
    }
}
