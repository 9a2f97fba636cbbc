using Depin.Ledger.Accounts;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Jobs;

/// <summary>Where one of a job's transactions committed and its receipt; the transaction itself is read back from the log.</summary>
public readonly record struct JobEvent(long Height, int Index, ProgramKind Program, ReceiptStatus Status);

/// <summary>One job transaction as the job's history shows it, with its block's timestamp.</summary>
public readonly record struct JobHistoryEntry(JobEvent Event, Transaction Transaction, long TimestampMs);

/// <summary>A page of finished jobs, in the order they finished; <see cref="Next"/> continues it (null on the last page).</summary>
public sealed record FinishedJobsPage((TxId Id, JobRecord Record)[] Jobs, int? Next, long Height, long CompleteBeforeMs);

/// <summary>A page of jobs, newest first; <see cref="Next"/> continues it (null on the last page).</summary>
public sealed record JobPage((TxId Id, JobRecord Record)[] Jobs, int? Next, int Total, long Height);

/// <summary>
/// The indexes the ledger keeps over its job programs, in memory, carried in snapshots and completed by replaying the log
/// after the snapshot: where each job's transactions committed (failures too), the jobs of each customer (successful
/// submissions) and of each provider (successful leases), both in commit order, the jobs whose record is not final, and the
/// final ones in the order they finished (what the node prunes once the retention window has passed). A pruned job leaves
/// every index.
/// </summary>
internal sealed class JobIndex
{
    private readonly Dictionary<TxId, List<JobEvent>> _history = [];
    private readonly Dictionary<AccountId, JobList> _byCustomer = [];
    private readonly Dictionary<AccountId, JobList> _byProvider = [];
    private readonly HashSet<TxId> _open = [];
    private readonly Queue<(long FinishedAt, TxId Job)> _finished = new();

    public int OpenCount => _open.Count;

    public int HistoryCount => _history.Count;

    /// <summary>Adds a committed block's job transactions with their receipts; a successful job-prune removes its job.</summary>
    public void Add(ReadOnlySpan<Transaction> transactions, ReadOnlySpan<ReceiptStatus> statuses, long height, JobStore jobs)
    {
        for (var i = 0; i < transactions.Length; i++)
        {
            ref readonly var tx = ref transactions[i];
            if (!tx.HasJobRecord || tx.Job.IsEmpty)
            {
                continue;
            }

            if (tx.Program == ProgramKind.JobPrune)
            {
                if (statuses[i] == ReceiptStatus.Success)
                {
                    Forget(tx.Job, tx.From, tx.To, jobs);
                }

                continue;
            }

            if (!_history.TryGetValue(tx.Job, out var events))
            {
                events = new List<JobEvent>(4);
                _history[tx.Job] = events;
            }

            events.Add(new JobEvent(height, i, tx.Program, statuses[i]));
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

    /// <summary>Keeps the open set and the finished queue in step with the records a block changed.</summary>
    public void TrackOpen(ReadOnlySpan<Transaction> transactions, ReadOnlySpan<ReceiptStatus> statuses, JobStore jobs)
    {
        for (var i = 0; i < transactions.Length; i++)
        {
            ref readonly var tx = ref transactions[i];
            if (!tx.HasJobRecord || statuses[i] != ReceiptStatus.Success || tx.Program == ProgramKind.JobPrune)
            {
                continue;
            }

            var record = jobs.Get(tx.Job);
            Track(tx.Job, record);
            if (record.IsFinal && tx.Program is ProgramKind.JobSettle or ProgramKind.JobFail or ProgramKind.JobCancel or ProgramKind.JobExpire)
            {
                _finished.Enqueue((record.FinishedAt, tx.Job));
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

    /// <summary>Rebuilds the open set and the finished queue from the records (after recovery).</summary>
    public void RebuildFromRecords(JobStore jobs)
    {
        _open.Clear();
        _finished.Clear();
        var finished = new List<(long FinishedAt, int Slot)>();
        for (var slot = 0; slot < jobs.Count; slot++)
        {
            ref var record = ref jobs.StateAt(slot);
            Track(jobs.IdAt(slot), record);
            if (record.IsFinal)
            {
                finished.Add((record.FinishedAt, slot));
            }
        }

        finished.Sort();
        foreach (var (finishedAt, slot) in finished)
        {
            _finished.Enqueue((finishedAt, jobs.IdAt(slot)));
        }
    }

    /// <summary>
    /// Final jobs that finished at or before <paramref name="cutoffMs"/>, oldest first, at most <paramref name="limit"/>,
    /// taken off the queue (with their records, to form job-prune transactions); jobs already gone are skipped.
    /// </summary>
    public int TakeDue(long cutoffMs, int limit, JobStore jobs, List<(TxId Job, JobRecord Record)> due)
    {
        var taken = 0;
        while (taken < limit && _finished.TryPeek(out var next) && next.FinishedAt <= cutoffMs)
        {
            _finished.Dequeue();
            var record = jobs.Get(next.Job);
            if (record.IsFinal && record.FinishedAt == next.FinishedAt)
            {
                due.Add((next.Job, record));
                taken++;
            }
        }

        return taken;
    }

    /// <summary>
    /// Final jobs that finished within [<paramref name="fromMs"/>, <paramref name="toMs"/>), in the order they finished,
    /// starting <paramref name="offset"/> entries into the window, at most <paramref name="limit"/>; returns the offset
    /// of the next page, or null on the last one.
    /// </summary>
    public int? Finished(long fromMs, long toMs, int offset, int limit, JobStore jobs, List<(TxId Job, JobRecord Record)> page)
    {
        var position = 0;
        foreach (var (finishedAt, job) in _finished)
        {
            if (finishedAt < fromMs)
            {
                continue;
            }

            if (finishedAt >= toMs)
            {
                return null;
            }

            if (position++ < offset)
            {
                continue;
            }

            if (page.Count == limit)
            {
                return position - 1;
            }

            var record = jobs.Get(job);
            if (record.IsFinal && record.FinishedAt == finishedAt)
            {
                page.Add((job, record));
            }
        }

        return null;
    }

    /// <summary>Whether some final job finished at or before <paramref name="cutoffMs"/>.</summary>
    public bool HasDue(long cutoffMs) => _finished.TryPeek(out var next) && next.FinishedAt <= cutoffMs;

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

    public (TxId[] Jobs, int? Next, int Total) OfCustomer(AccountId customer, int limit, int? before, JobStore jobs) => Page(_byCustomer, customer, limit, before, jobs);

    public (TxId[] Jobs, int? Next, int Total) OfProvider(AccountId provider, int limit, int? before, JobStore jobs) => Page(_byProvider, provider, limit, before, jobs);

    /// <summary>The lowest height any live job's history starts at (the log must keep it); long.MaxValue when none.</summary>
    public long OldestLiveHeight(JobStore jobs)
    {
        var oldest = long.MaxValue;
        foreach (var (job, events) in _history)
        {
            if (events.Count > 0 && events[0].Height < oldest && jobs.TryGetSlot(job, out _))
            {
                oldest = events[0].Height;
            }
        }

        return oldest;
    }

    /// <summary>Drops the histories of jobs without a record (rejected submissions, stray calls) that end below <paramref name="height"/>.</summary>
    public void ForgetRecordlessBefore(long height, JobStore jobs)
    {
        foreach (var (job, events) in _history)
        {
            if (events[^1].Height < height && !jobs.TryGetSlot(job, out _))
            {
                _history.Remove(job);
            }
        }
    }

    /// <summary>Copies the indexes that cannot be rebuilt from the records (for a snapshot); call under the state lock.</summary>
    public JobIndexSnapshot Export()
    {
        var jobs = new TxId[_history.Count];
        var counts = new int[_history.Count];
        var events = new List<JobEvent>(_history.Count * 4);
        var i = 0;
        foreach (var (job, list) in _history)
        {
            jobs[i] = job;
            counts[i++] = list.Count;
            events.AddRange(list);
        }

        return new JobIndexSnapshot(jobs, counts, [.. events], ExportLists(_byCustomer), ExportLists(_byProvider));
    }

    /// <summary>Loads what <see cref="Export"/> wrote into an empty index.</summary>
    public void Import(JobIndexSnapshot snapshot)
    {
        var cursor = 0;
        _history.EnsureCapacity(snapshot.Jobs.Length);
        for (var i = 0; i < snapshot.Jobs.Length; i++)
        {
            _history[snapshot.Jobs[i]] = [.. snapshot.Events.AsSpan(cursor, snapshot.EventCounts[i])];
            cursor += snapshot.EventCounts[i];
        }

        ImportLists(_byCustomer, snapshot.Customers);
        ImportLists(_byProvider, snapshot.Providers);
    }

    private void Forget(TxId job, AccountId customer, AccountId provider, JobStore jobs)
    {
        _history.Remove(job);
        _open.Remove(job);
        if (_byCustomer.TryGetValue(customer, out var mine))
        {
            mine.TrimDead(jobs);
        }

        if (!provider.IsZero && _byProvider.TryGetValue(provider, out var theirs))
        {
            theirs.TrimDead(jobs);
        }
    }

    private static void Append(Dictionary<AccountId, JobList> index, AccountId account, TxId job)
    {
        if (!index.TryGetValue(account, out var jobs))
        {
            jobs = new JobList();
            index[account] = jobs;
        }

        jobs.Append(job);
    }

    private static (TxId[] Jobs, int? Next, int Total) Page(Dictionary<AccountId, JobList> index, AccountId account, int limit, int? before, JobStore jobs) =>
        index.TryGetValue(account, out var list) ? list.Page(limit, before, jobs) : ([], null, 0);

    private static JobListSnapshot[] ExportLists(Dictionary<AccountId, JobList> index) =>
        [.. index.Where(e => e.Value.Count > 0).Select(e => e.Value.Export(e.Key))];

    private static void ImportLists(Dictionary<AccountId, JobList> index, JobListSnapshot[] lists)
    {
        foreach (var list in lists)
        {
            index[list.Account] = JobList.Import(list);
        }
    }

    /// <summary>
    /// One account's jobs in commit order, addressed by absolute positions (stable while pruned jobs are trimmed off the
    /// front), so that a page cursor stays valid across pruning and restarts.
    /// </summary>
    private sealed class JobList
    {
        private List<TxId> _ids = [];
        private int _base;
        private int _start;

        public int Count => _ids.Count - _start;

        public void Append(TxId job)
        {
            // A provider leasing the same job again (a retried attempt) is listed once.
            if (_ids.Count == _start || _ids[^1] != job)
            {
                _ids.Add(job);
            }
        }

        /// <summary>Drops pruned jobs off the front; the list is compacted once half of it is dropped.</summary>
        public void TrimDead(JobStore jobs)
        {
            while (_start < _ids.Count && !jobs.TryGetSlot(_ids[_start], out _))
            {
                _start++;
            }

            if (_start > 64 && _start * 2 > _ids.Count)
            {
                _ids.RemoveRange(0, _start);
                _base += _start;
                _start = 0;
            }
        }

        /// <summary>Newest first: positions below <paramref name="before"/> (the whole list when null), at most <paramref name="limit"/> live jobs.</summary>
        public (TxId[] Jobs, int? Next, int Total) Page(int limit, int? before, JobStore jobs)
        {
            var end = (int)Math.Clamp((long)(before ?? int.MaxValue) - _base, _start, _ids.Count);
            var page = new List<TxId>(Math.Min(limit, end - _start));
            var position = end;
            while (position > _start && page.Count < limit)
            {
                position--;
                var id = _ids[position];
                if (jobs.TryGetSlot(id, out _))
                {
                    page.Add(id);
                }
            }

            return ([.. page], position > _start ? _base + position : null, Count);
        }

        public JobListSnapshot Export(AccountId account) => new(account, _base + _start, [.. _ids.Skip(_start)]);

        public static JobList Import(JobListSnapshot snapshot) => new() { _ids = [.. snapshot.Ids], _base = checked((int)snapshot.Base) };
    }
}

/// <summary>The job indexes a snapshot carries: every job's events (grouped by job, in the order of <see cref="Jobs"/>) and the account lists.</summary>
internal sealed record JobIndexSnapshot(TxId[] Jobs, int[] EventCounts, JobEvent[] Events, JobListSnapshot[] Customers, JobListSnapshot[] Providers);

/// <summary>One account's jobs from absolute position <see cref="Base"/> on.</summary>
internal sealed record JobListSnapshot(AccountId Account, long Base, TxId[] Ids);
