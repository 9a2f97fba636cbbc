using Depin.Ledger.Accounts;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Jobs;

/// <summary>One job transaction as the job's history shows it: what was asked, where it committed, and its receipt.</summary>
public readonly record struct JobEvent(Transaction Transaction, ReceiptStatus Status, long Height, int Index);

/// <summary>A page of jobs, newest first; <see cref="Next"/> continues it (null on the last page).</summary>
public sealed record JobPage((TxId Id, JobRecord Record)[] Jobs, int? Next, int Total, long Height);

/// <summary>
/// The indexes the ledger keeps over its job programs, in memory and rebuilt by replaying the log at start: every job's
/// transactions with their receipts (failures too), the jobs of each customer (successful submissions) and of each
/// provider (successful leases), both in commit order, and the jobs whose record is not final.
/// </summary>
internal sealed class JobIndex
{
    private readonly Dictionary<TxId, List<JobEvent>> _history = [];
    private readonly Dictionary<AccountId, List<TxId>> _byCustomer = [];
    private readonly Dictionary<AccountId, List<TxId>> _byProvider = [];
    private readonly HashSet<TxId> _open = [];

    public int OpenCount => _open.Count;

    /// <summary>Adds a committed block's job transactions with their receipts.</summary>
    public void Add(ReadOnlySpan<Transaction> transactions, ReadOnlySpan<ReceiptStatus> statuses, long height)
    {
        for (var i = 0; i < transactions.Length; i++)
        {
            ref readonly var tx = ref transactions[i];
            if (!tx.HasJobRecord || tx.Job.IsEmpty)
            {
                continue;
            }

            if (!_history.TryGetValue(tx.Job, out var events))
            {
                events = new List<JobEvent>(4);
                _history[tx.Job] = events;
            }

            events.Add(new JobEvent(tx, statuses[i], height, i));
            if (statuses[i] != ReceiptStatus.Success)
            {
                continue;
            }

            if (tx.Program == ProgramKind.JobSubmit)
            {
                Append(_byCustomer, tx.From, tx.Job);
            }
            else if (tx.Program == ProgramKind.JobLease)
            {
                Append(_byProvider, tx.To, tx.Job);
            }
        }
    }

    /// <summary>Keeps the open set in step with the records a block changed.</summary>
    public void TrackOpen(ReadOnlySpan<Transaction> transactions, ReadOnlySpan<ReceiptStatus> statuses, JobStore jobs)
    {
        for (var i = 0; i < transactions.Length; i++)
        {
            if (transactions[i].HasJobRecord && statuses[i] == ReceiptStatus.Success)
            {
                Track(transactions[i].Job, jobs.Get(transactions[i].Job));
            }
        }
    }

    public void Track(TxId job, in JobRecord record)
    {
        if (record.IsEmpty || record.IsFinal)
        {
            _open.Remove(job);
        }
        else
        {
            _open.Add(job);
        }
    }

    /// <summary>Open jobs, of one kernel kind when <paramref name="kind"/> is given.</summary>
    public TxId[] Open(int limit, int? kind, JobStore jobs)
    {
        var result = new List<TxId>(Math.Min(limit, _open.Count));
        foreach (var id in _open)
        {
            if (result.Count == limit)
            {
                break;
            }

            if (kind is null || jobs.Get(id).Kind == kind)
            {
                result.Add(id);
            }
        }

        return [.. result];
    }

    public JobEvent[] History(TxId job) => _history.TryGetValue(job, out var events) ? [.. events] : [];

    public (TxId[] Jobs, int? Next, int Total) OfCustomer(AccountId customer, int limit, int? before) => Page(_byCustomer, customer, limit, before);

    public (TxId[] Jobs, int? Next, int Total) OfProvider(AccountId provider, int limit, int? before) => Page(_byProvider, provider, limit, before);

    private static void Append(Dictionary<AccountId, List<TxId>> index, AccountId account, TxId job)
    {
        if (!index.TryGetValue(account, out var jobs))
        {
            jobs = [];
            index[account] = jobs;
        }

        // A provider leasing the same job again (a retried attempt) is listed once.
        if (jobs.Count == 0 || jobs[^1] != job)
        {
            jobs.Add(job);
        }
    }

    /// <summary>Newest first: positions below <paramref name="before"/> (the whole list when null), at most <paramref name="limit"/>.</summary>
    private static (TxId[] Jobs, int? Next, int Total) Page(Dictionary<AccountId, List<TxId>> index, AccountId account, int limit, int? before)
    {
        if (!index.TryGetValue(account, out var jobs))
        {
            return ([], null, 0);
        }

        var end = Math.Clamp(before ?? jobs.Count, 0, jobs.Count);
        var start = Math.Max(0, end - limit);
        var page = new TxId[end - start];
        for (var i = 0; i < page.Length; i++)
        {
            page[i] = jobs[end - 1 - i];
        }

        return (page, start > 0 ? start : null, jobs.Count);
    }
}
