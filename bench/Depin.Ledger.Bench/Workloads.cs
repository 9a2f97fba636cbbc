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

    /// <summary>Block timestamp of a height in every workload (Unix ms), so that job deadlines mean the same to every executor.</summary>
    public static long Timestamp(long height) => 1_700_000_000_000 + height * 1_000;

    /// <summary>
    /// The job programs alone, as a pipeline: every block submits a quarter of its jobs, leases the jobs submitted one
    /// block earlier, completes those leased, and settles those completed (each settlement touches the treasury).
    /// Customers are accounts [0, customers), providers the next <paramref name="providers"/>. Block b runs at height b + 2.
    /// </summary>
    public static Transaction[][] JobLifecycle(int blocks, int count, int customers, int providers)
    {
        var perStage = count / 4;
        var result = new Transaction[blocks][];
        var jobs = new TxId[blocks][];
        for (var b = 0; b < blocks; b++)
        {
            var now = Timestamp(b + 2);
            jobs[b] = Enumerable.Range(0, perStage).Select(_ => TxId.New()).ToArray();
            var txs = new List<Transaction>(count);
            for (var i = 0; i < perStage; i++)
            {
                var customer = Account((b * perStage + i) % customers);
                txs.Add(new Transaction(TxId.New(), ProgramKind.JobSubmit, customer, default, 10_000, 0, jobs[b][i],
                    new JobPayload(default, default, 0, now + 3_600_000, 1_000, 1, 3)));
                if (b >= 1)
                {
                    txs.Add(new Transaction(TxId.New(), ProgramKind.JobLease, default, Account(customers + i % providers), 4_000, 100, jobs[b - 1][i],
                        new JobPayload(default, Worker(i % providers), 0, now + 60_000, 0, 0, 0)));
                }

                if (b >= 2)
                {
                    txs.Add(new Transaction(TxId.New(), ProgramKind.JobComplete, default, default, 0, 0, jobs[b - 2][i],
                        new JobPayload(default, Worker(i % providers), 1, 0, 0, 0, 0)));
                }

                if (b >= 3)
                {
                    var earlier = Account(((b - 3) * perStage + i) % customers);
                    txs.Add(new Transaction(TxId.New(), ProgramKind.JobSettle, earlier, Account(customers + i % providers), 4_000, 100, jobs[b - 3][i]));
                }
            }

            result[b] = [.. txs];
        }

        return result;
    }

    private static TxId Worker(int i) => TxId.Derive("bench-worker-" + i);

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
