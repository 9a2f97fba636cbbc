using Depin.Ledger.Accounts;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Bench;

/// <summary>Deterministic benchmark workloads.</summary>
internal static class Workloads
{
    public static AccountId Account(int i) => AccountId.FromNumber((ulong)i + 1);

    public static Transaction[] Genesis(int accounts, long balance)
    {
        var txs = new Transaction[accounts + 1];
        for (var i = 0; i < accounts; i++)
        {
            txs[i] = Transaction.Deposit(TxId.New(), Account(i), balance);
        }

        txs[accounts] = Transaction.Deposit(TxId.New(), SystemAccounts.RewardPool, long.MaxValue / 2);
        return txs;
    }

    /// <summary>Peer-to-peer transfers between uniformly random distinct accounts.</summary>
    public static Transaction[] Transfers(Random random, int count, int accounts)
    {
        var txs = new Transaction[count];
        for (var i = 0; i < count; i++)
        {
            var from = random.Next(accounts);
            var to = accounts == 1 ? from : (from + 1 + random.Next(accounts - 1)) % accounts;
            txs[i] = Transaction.Transfer(TxId.New(), Account(from), Account(to), 1 + random.Next(100));
        }

        return txs;
    }

    /// <summary>
    /// The marketplace mix: escrow locks for new jobs, releases with a fee (every one touches the treasury, a hot
    /// account) or refunds for jobs locked earlier, and reward credits (every one touches the reward pool).
    /// Customers are accounts [0, customers); providers follow.
    /// </summary>
    public static Transaction[] MarketplaceMix(Random random, int count, int customers, int providers, Queue<(TxId Job, int Customer)> open)
    {
        var txs = new Transaction[count];
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(10);
            if (roll < 4 || open.Count == 0)
            {
                var job = TxId.New();
                var customer = random.Next(customers);
                open.Enqueue((job, customer));
                txs[i] = Transaction.EscrowLock(TxId.New(), job, Account(customer), 1_000);
            }
            else if (roll < 8)
            {
                var (job, customer) = open.Dequeue();
                txs[i] = Transaction.EscrowRelease(TxId.New(), job, Account(customer), Account(customers + random.Next(providers)), 800, 40);
            }
            else if (roll < 9)
            {
                var (job, customer) = open.Dequeue();
                txs[i] = Transaction.EscrowRefund(TxId.New(), job, Account(customer));
            }
            else
            {
                txs[i] = Transaction.RewardCredit(TxId.New(), Account(customers + random.Next(providers)), 10);
            }
        }

        return txs;
    }
}
