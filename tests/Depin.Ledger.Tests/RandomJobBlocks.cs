using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Jobs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Tests;

/// <summary>
/// Random blocks that follow the job lifecycle: each job record in the store gets the transition its status invites
/// (lease a queued job, complete or extend a lease, settle or fail a completed one, expire what is past its deadline),
/// mostly legal, sometimes stale or out of order, mixed with transfers among the same customers (contention).
/// </summary>
internal static class RandomJobBlocks
{
    public const long Second = 1_000;

    public static readonly AccountId[] Providers = [AccountId.FromNumber(9_001), AccountId.FromNumber(9_002), AccountId.FromNumber(9_003)];

    private static readonly TxId[] Workers = [TxId.Derive("worker-a"), TxId.Derive("worker-b"), TxId.Derive("worker-c")];

    public static Transaction[] Block(Random random, AccountStore committed, int size, int customers, long now, List<TxId> jobs)
    {
        var txs = new List<Transaction>(size);
        // Each known job once per block at most, so the generated transition follows its committed state.
        var start = jobs.Count == 0 ? 0 : random.Next(jobs.Count);
        for (var n = 0; n < jobs.Count && txs.Count < size * 3 / 4; n++)
        {
            var id = jobs[(start + n) % jobs.Count];
            var job = committed.Jobs.Get(id);
            if (Next(random, id, job, now) is { } tx)
            {
                txs.Add(tx);
            }
        }

        while (txs.Count < size)
        {
            var customer = RandomBlocks.Account(random.Next(customers));
            if (random.Next(3) == 0)
            {
                txs.Add(Transaction.Transfer(TxId.New(), customer, RandomBlocks.Account(random.Next(customers)), random.Next(1, 500)));
                continue;
            }

            var id = TxId.New();
            jobs.Add(id);
            txs.Add(Submit(id, customer, random.Next(10) == 0 ? 1_000_000_000 : random.Next(100, 5_000), now + Second * random.Next(1, 12), (byte)random.Next(1, 4)));
        }

        Shuffle(random, txs);
        return [.. txs];
    }

    public static Transaction Submit(TxId job, AccountId customer, long maxPrice, long deadline, byte maxAttempts = 2) =>
        new(TxId.New(), ProgramKind.JobSubmit, customer, default, maxPrice, 0, job, new JobPayload(Hash256.Compute(job.Value.ToByteArray()), default, 0, deadline, 1_000, 1, maxAttempts));

    public static Transaction Lease(TxId job, TxId worker, AccountId provider, long until, long price = 400, long fee = 10) =>
        new(TxId.New(), ProgramKind.JobLease, default, provider, price, fee, job, new JobPayload(default, worker, 0, until, 0, 0, 0));

    public static Transaction Extend(TxId job, TxId worker, long token, long until) =>
        new(TxId.New(), ProgramKind.JobExtend, default, default, 0, 0, job, new JobPayload(default, worker, token, until, 0, 0, 0));

    public static Transaction Complete(TxId job, TxId worker, long token, Hash256 digest) =>
        new(TxId.New(), ProgramKind.JobComplete, default, default, 0, 0, job, new JobPayload(digest, worker, token, 0, 0, 0, 0));

    public static Transaction Settle(TxId job, AccountId customer, AccountId provider, long price, long fee) =>
        new(TxId.New(), ProgramKind.JobSettle, customer, provider, price, fee, job);

    public static Transaction Fail(TxId job, AccountId customer, TxId worker, long token) =>
        new(TxId.New(), ProgramKind.JobFail, customer, default, 0, 0, job, new JobPayload(default, worker, token, 0, 0, 0, 0));

    public static Transaction Release(TxId job, TxId worker, long token) =>
        new(TxId.New(), ProgramKind.JobRelease, default, default, 0, 0, job, new JobPayload(default, worker, token, 0, 0, 0, 0));

    public static Transaction Cancel(TxId job, AccountId customer) => new(TxId.New(), ProgramKind.JobCancel, customer, default, 0, 0, job);

    public static Transaction Expire(TxId job, AccountId customer) => new(TxId.New(), ProgramKind.JobExpire, customer, default, 0, 0, job);

    public static Transaction Prune(TxId job, long retentionMs) => new(TxId.New(), ProgramKind.JobPrune, default, default, retentionMs, 0, job);

    private static Transaction? Next(Random random, TxId id, in JobRecord job, long now)
    {
        var roll = random.Next(100);
        switch (job.Status)
        {
            case JobStatus.Queued when now >= job.Deadline:
                return Expire(id, job.Customer);
            case JobStatus.Queued:
                var price = Math.Max(1, job.Escrow * random.Next(50, 101) / 100);
                return roll < 85
                    ? Lease(id, Workers[random.Next(Workers.Length)], Providers[random.Next(Providers.Length)], now + Second * random.Next(1, 4), price, price / 40)
                    : roll < 93 ? Cancel(id, job.Customer) : Expire(id, job.Customer);
            case JobStatus.Leased when now > job.LeaseDeadline:
                return roll < 70 ? Fail(id, job.Customer, default, 0) : Expire(id, job.Customer);
            case JobStatus.Leased:
                return roll < 70 ? Complete(id, job.Worker, job.FencingToken, Hash256.Compute(id.Value.ToByteArray()))
                    : roll < 77 ? Extend(id, job.Worker, job.FencingToken, now + Second * 3)
                    : roll < 84 ? Release(id, job.Worker, job.FencingToken)
                    : roll < 90 ? Fail(id, job.Customer, job.Worker, job.FencingToken)
                    : roll < 92 ? Prune(id, 0)
                    : Complete(id, job.Worker, job.FencingToken - 1, default);
            case JobStatus.Completed:
                return roll < 80 ? Settle(id, job.Customer, job.Provider, job.Price, job.Fee)
                    : roll < 95 ? Fail(id, job.Customer, job.Worker, job.FencingToken)
                    : Settle(id, job.Customer, job.Provider, job.Price + 1, job.Fee);
            case JobStatus.None:
                return null;
            default:
                // Final: replays of the last step must change nothing (exactly once).
                // Or pruned once its (random) retention has passed, freeing its slot for a later submission.
                var replay = random.Next(400);
                return replay == 0 ? Settle(id, job.Customer, job.Provider == default ? Providers[0] : job.Provider, 1, 0)
                    : replay == 1 ? Cancel(id, job.Customer)
                    : replay < 60 ? Prune(id, Second * random.Next(0, 4))
                    : null;
        }
    }

    private static void Shuffle(Random random, List<Transaction> txs)
    {
        for (var i = txs.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (txs[i], txs[j]) = (txs[j], txs[i]);
        }
    }
}
