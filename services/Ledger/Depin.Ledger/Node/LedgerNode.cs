using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Storage;
using Depin.Ledger.Transactions;
using Microsoft.Extensions.Logging;

namespace Depin.Ledger.Node;

/// <summary>
/// The durable ledger: group-commits submitted transactions into blocks, executes them (Block-STM), appends each block
/// to the write-ahead log with fsync, and only then acknowledges. Recovers from the newest snapshot plus the log after
/// it. Growth is bounded by <see cref="LedgerOptions.Retention"/>: the node prunes final job records once the window has
/// passed (job-prune, a transaction in its blocks, so that replay agrees), and at each snapshot forgets the blocks, the
/// transaction ids and the log segments older than the window that no live job still refers to.
/// </summary>
public sealed partial class LedgerNode : IDisposable
{
    private static readonly Meter Meter = new("Depin.Ledger");
    private static readonly Counter<long> CommittedTransactions = Meter.CreateCounter<long>("depin.ledger.transactions", "{transaction}");
    private static readonly Histogram<double> BlockDuration = Meter.CreateHistogram<double>("depin.ledger.block.duration", "ms", "Block commit latency: execution, roots, WAL write and fsync.");

    /// <summary>This node's gauges (height, pending queue depth), disposed with it.</summary>
    private readonly Meter _gauges = new("Depin.Ledger");

    private readonly LedgerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private long _formingTimestampMs = long.MaxValue;
    private long _promisedMs;
    private readonly AccountStore _store = new();
    private readonly LedgerStateTree _tree = new();
    private readonly SequentialExecutor _sequential;
    private readonly AdaptiveExecutor? _parallel;
    private readonly BlockOutput _output = new();
    private readonly BlockLog _log;
    private readonly SnapshotStore _snapshots;
    private readonly Dictionary<TxId, long> _index = [];
    private Transaction[] _executing = [];
    private readonly Jobs.JobIndex _jobIndex = new();
    private readonly List<CommittedBlock> _blocks = [];
    private readonly List<(TxId Job, Jobs.JobRecord Record)> _due = [];
    private readonly HashSet<TxId> _pruning = [];
    private long _firstHeight = 1;
    private readonly ReaderWriterLockSlim _stateLock = new();
    private readonly Channel<Submission> _queue = Channel.CreateUnbounded<Submission>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private Task _snapshotWrite = Task.CompletedTask;
    private Submission? _carry;
    private int _pending;
    private long _sinceSnapshot;
    private long _blocksSinceSnapshot;
    private long _snapshotHeight;
    private volatile bool _disposed;
    private long _lastSnapshotAt;
    private double _lastSnapshotTakeMs;
    private double _snapshotMilliseconds;
    private Exception? _fault;

    public LedgerNode(LedgerOptions options, ILogger<LedgerNode> logger, TimeProvider? time = null)
    {
        if (options.MaxBatchSize > options.MaxBlockSize)
        {
            throw new ArgumentException("MaxBatchSize must not exceed MaxBlockSize.", nameof(options));
        }

        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        var settings = new ExecutionSettings((long)options.UnbondingDelay.TotalMilliseconds);
        _sequential = new SequentialExecutor(settings);
        _parallel = options.ExecutionThreads > 1
            ? ParallelExecutors.CreateAdaptive(options.Executor, settings, options.ExecutionThreads, options.ParallelThreshold)
            : null;
        _log = new BlockLog(Path.Combine(options.DataDirectory, "blocks"), logger, options.SegmentBytes);
        _snapshots = new SnapshotStore(Path.Combine(options.DataDirectory, "snapshots"));
        _gauges.CreateObservableGauge("depin.ledger.height", () => Height, "{block}", "Height of the latest durable block.");
        _gauges.CreateObservableGauge("depin.ledger.pending", () => Pending, "{transaction}", "Transactions accepted and not yet committed.");
    }

    /// <summary>Raised on the commit thread after a block is durable.</summary>
    public event Action<CommittedBlock>? BlockCommitted;

    public LedgerOptions Options => _options;

    /// <summary>Height of the latest durable block (0 before the first).</summary>
    public long Height { get; private set; }

    public Hash256 LatestHash { get; private set; }

    /// <summary>Timestamp of the latest block, Unix ms; the next block's is at least this.</summary>
    public long LatestTimestampMs { get; private set; }

    public Hash256 StateRoot => _tree.Root;

    /// <summary>Transactions accepted but not yet committed.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public bool IsFaulted => _fault is not null;

    /// <summary>The oldest block the node still serves; older ones are archived (provable through the anchored roots).</summary>
    public long FirstHeight => Volatile.Read(ref _firstHeight);

    /// <summary>Transaction ids the node still knows (a retry of one of them is answered with its receipt).</summary>
    public int IndexedTransactions
    {
        get
        {
            _stateLock.EnterReadLock();
            try
            {
                return _index.Count;
            }
            finally
            {
                _stateLock.ExitReadLock();
            }
        }
    }

    /// <summary>Live job record slots, and the slots ever used (freed ones are taken again first).</summary>
    public (int Live, int Slots) JobSlots
    {
        get
        {
            _stateLock.EnterReadLock();
            try
            {
                return (_store.Jobs.Live, _store.Jobs.Count);
            }
            finally
            {
                _stateLock.ExitReadLock();
            }
        }
    }

    /// <summary>How long the last start took to recover, and how much of it went to loading the snapshot.</summary>
    public (TimeSpan Total, TimeSpan Snapshot) Recovery { get; private set; }

    /// <summary>Recovers state from disk and starts the commit loop.</summary>
    public void Start()
    {
        var started = Stopwatch.GetTimestamp();
        Recover();
        Recovery = (Stopwatch.GetElapsedTime(started), TimeSpan.FromMilliseconds(_snapshotMilliseconds));
        LogRecovered(Height, _store.Count, _index.Count, Recovery.Total.TotalMilliseconds, _snapshotMilliseconds, _store.Jobs.Live);
        _loop = Task.Factory.StartNew(CommitLoop, TaskCreationOptions.LongRunning).Unwrap();
    }

    /// <summary>Queues a batch and completes once every transaction has a durable receipt (or had one already).</summary>
    public Task<Receipt[]> SubmitAsync(Transaction[] transactions, CancellationToken cancellationToken = default)
    {
        if (_fault is not null)
        {
            throw new InvalidOperationException("The ledger stopped after a storage failure; restart it.", _fault);
        }

        if (transactions.Length == 0)
        {
            return Task.FromResult(Array.Empty<Receipt>());
        }

        var pending = Interlocked.Add(ref _pending, transactions.Length);
        if (pending > _options.MaxPendingTransactions)
        {
            Interlocked.Add(ref _pending, -transactions.Length);
            throw new LedgerBusyException(pending - transactions.Length);
        }

        var submission = new Submission(transactions);
        if (!_queue.Writer.TryWrite(submission))
        {
            Interlocked.Add(ref _pending, -transactions.Length);
            throw new InvalidOperationException("The ledger is stopping.");
        }

        return submission.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The account at the latest durable height (all zero when it never held anything).</summary>
    public (AccountState State, long Height) GetAccount(AccountId id)
    {
        _stateLock.EnterReadLock();
        try
        {
            return (_store.Get(id), Height);
        }
        finally
        {
            _stateLock.ExitReadLock();
        }
    }

    /// <summary>Every credit on the ledger at the latest durable height (balances, stakes, unbonding stakes, escrows) and the bridge account's part of it.</summary>
    public (Int128 Total, long Bridge, long Height) GetSupply()
    {
        _stateLock.EnterReadLock();
        try
        {
            return (_store.TotalHoldings(), _store.Get(SystemAccounts.Bridge).Balance, Height);
        }
        finally
        {
            _stateLock.ExitReadLock();
        }
    }

    /// <summary>A job record at the latest durable height (<see cref="Jobs.JobStatus.None"/> when the id was never used).</summary>
    public (Jobs.JobRecord Record, long Height) GetJob(TxId id)
    {
        _stateLock.EnterReadLock();
        try
        {
            return (_store.Jobs.Get(id), Height);
        }
        finally
        {
            _stateLock.ExitReadLock();
        }
    }

    /// <summary>
    /// Jobs that finished (their record final) at block times within [<paramref name="fromMs"/>, <paramref name="toMs"/>),
    /// in the order they finished, a page at a time. <see cref="Jobs.FinishedJobsPage.CompleteBeforeMs"/> is a time before
    /// which no block can still commit: once it reaches <paramref name="toMs"/>, the window's list is final.
    /// </summary>
    public Jobs.FinishedJobsPage FinishedJobs(long fromMs, long toMs, int offset, int limit)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var promised = Interlocked.Read(ref _promisedMs);
        while (now > promised && Interlocked.CompareExchange(ref _promisedMs, now, promised) != promised)
        {
            promised = Interlocked.Read(ref _promisedMs);
        }

        var completeBefore = Math.Min(now, Interlocked.Read(ref _formingTimestampMs));
        var page = new List<(TxId Job, Jobs.JobRecord Record)>(Math.Min(limit, 1024));
        _stateLock.EnterReadLock();
        try
        {
            var next = _jobIndex.Finished(fromMs, toMs, offset, limit, _store.Jobs, page);
            return new Jobs.FinishedJobsPage([.. page], next, Height, completeBefore);
        }
        finally
        {
            _stateLock.ExitReadLock();
        }
    }

    /// <summary>Ids of jobs whose record is not final (queued, leased or completed), of one kind when given, at most <paramref name="limit"/>.</summary>
    public TxId[] OpenJobs(int limit, int? kind = null)
    {
        _stateLock.EnterReadLock();
        try
        {
            return _jobIndex.Open(limit, kind, _store.Jobs);
        }
        finally
        {
            _stateLock.ExitReadLock();
        }
    }

    /// <summary>A job's transactions in commit order with their receipts and block timestamps, and its record (empty when it has none).</summary>
    public (Jobs.JobRecord Record, Jobs.JobHistoryEntry[] Events, long Height) GetJobHistory(TxId id)
    {
        _stateLock.EnterReadLock();
        try
        {
            var events = _jobIndex.History(id);
            var entries = new Jobs.JobHistoryEntry[events.Length];
            for (var i = 0; i < events.Length; i++)
            {
                var block = BlockAt(events[i].Height);
                entries[i] = new Jobs.JobHistoryEntry(events[i], _log.ReadTransaction(block.Location, events[i].Index), block.Header.TimestampMs);
            }

            return (_store.Jobs.Get(id), entries, Height);
        }
        finally
        {
            _stateLock.ExitReadLock();
        }
    }

    /// <summary>The jobs a customer submitted (or a provider leased), newest first, with their records.</summary>
    public Jobs.JobPage JobsOf(AccountId account, bool provider, int limit, int? before)
    {
        _stateLock.EnterReadLock();
        try
        {
            var (ids, next, total) = provider ? _jobIndex.OfProvider(account, limit, before, _store.Jobs) : _jobIndex.OfCustomer(account, limit, before, _store.Jobs);
            var jobs = new (TxId, Jobs.JobRecord)[ids.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                jobs[i] = (ids[i], _store.Jobs.Get(ids[i]));
            }

            return new Jobs.JobPage(jobs, next, total, Height);
        }
        finally
        {
            _stateLock.ExitReadLock();
        }
    }

    /// <summary>An inclusion proof of a job record against the latest state root; null when there is no record.</summary>
    public JobProof? GetJobProof(TxId id)
    {
        _stateLock.EnterReadLock();
        try
        {
            if (!_store.Jobs.TryGet(id, out var record, out var slot) || record.IsEmpty)
            {
                return null;
            }

            var (index, siblings) = _tree.JobPath(slot);
            return new JobProof(Height, _tree.Root, id, record, index, siblings);
        }
        finally
        {
            _stateLock.ExitReadLock();
        }
    }

    public Receipt? GetReceipt(TxId id)
    {
        _stateLock.EnterReadLock();
        try
        {
            return _index.TryGetValue(id, out var packed) ? ReceiptAt(id, packed) : null;
        }
        finally
        {
            _stateLock.ExitReadLock();
        }
    }

    public CommittedBlock? GetBlock(long height)
    {
        _stateLock.EnterReadLock();
        try
        {
            return height >= _firstHeight && height <= Height ? BlockAt(height) : null;
        }
        finally
        {
            _stateLock.ExitReadLock();
        }
    }

    /// <summary>The transactions of a committed block, read back from the log.</summary>
    public StoredBlock ReadBlock(CommittedBlock block) => _log.Read(block.Location);

    /// <summary>An inclusion proof of the account against the latest state root; null when the account does not exist.</summary>
    public AccountProof? GetProof(AccountId id)
    {
        _stateLock.EnterReadLock();
        try
        {
            if (!_store.TryGet(id, out var state, out var slot) || state.IsEmpty)
            {
                return null;
            }

            return new AccountProof(Height, _tree.Root, id, state, slot, _tree.AccountSiblings(slot));
        }
        finally
        {
            _stateLock.ExitReadLock();
        }
    }

    /// <summary>
    /// Stops accepting work, commits what is queued, waits for the last snapshot write, and writes a snapshot of the
    /// final state (so that the next start replays nothing) unless one exists at this height or the node failed.
    /// </summary>
    public async Task StopAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await _snapshotWrite.ConfigureAwait(false);
        if (_fault is null && !_disposed && Height > _snapshotHeight && _blocks.Count > 0)
        {
            try
            {
                WriteFinalSnapshot();
            }
            catch (ObjectDisposedException)
            {
                // Disposed while stopping (a host tearing down): the periodic snapshots and the log still recover it.
            }
        }
    }

    private void WriteFinalSnapshot()
    {
        Snapshot snapshot;
        var taking = Stopwatch.GetTimestamp();
        _stateLock.EnterWriteLock();
        try
        {
            Archive(LatestTimestampMs);
            snapshot = TakeSnapshot(BlockAt(Height));
        }
        finally
        {
            _stateLock.ExitWriteLock();
        }

        WriteSnapshot(snapshot, Stopwatch.GetElapsedTime(taking).TotalMilliseconds);
    }

    public void Dispose()
    {
        _disposed = true;
        _gauges.Dispose();
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }

        _snapshotWrite.Wait(TimeSpan.FromSeconds(30));
        _parallel?.Dispose();
        _log.Dispose();
        _stateLock.Dispose();
        _stopping.Dispose();
    }

    private Receipt ReceiptAt(TxId id, long packed)
    {
        var height = HeightOf(packed);
        var index = PositionOf(packed);
        return new Receipt(id, height, index, BlockAt(height).Statuses[index]);
    }

    /// <summary>A transaction's place as the id index holds it: the block's height and the position within it, in one long.</summary>
    private static long Pack(long height, int position) => (height << 24) | (long)position;

    private static long HeightOf(long packed) => packed >> 24;

    private static int PositionOf(long packed) => (int)(packed & 0xFFFFFF);

    private CommittedBlock BlockAt(long height) => _blocks[(int)(height - _firstHeight)];

    /// <summary>The adaptive executor when there is one (it runs blocks below the parallel threshold sequentially itself).</summary>
    private IBlockExecutor Executor => _parallel is not null ? _parallel : _sequential;

    private void Recover()
    {
        var loading = Stopwatch.GetTimestamp();
        var snapshot = _snapshots.LoadLatest();
        BlockLocation? after = null;
        if (snapshot is not null)
        {
            LoadSnapshot(snapshot);
            after = snapshot.Blocks[^1].Location;
        }

        _snapshotMilliseconds = Stopwatch.GetElapsedTime(loading).TotalMilliseconds;
        _log.Open(after, block =>
        {
            var header = block.Header;
            var path = Path.Combine(_options.DataDirectory, "blocks", BlockLog.SegmentName(block.Location.Segment));
            if (header.Height != Height + 1 || header.PreviousHash != LatestHash)
            {
                throw new LedgerCorruptionException(path, block.Location.Offset, $"block {header.Height} does not follow block {Height}");
            }

            var executor = Executor;
            executor.Execute(_store, block.Transactions, header.Height, header.TimestampMs, _output);
            var root = _tree.Update(_store, executor.Helpers);
            if (root != header.StateRoot || _output.ReceiptsRoot() != header.ReceiptsRoot ||
                !_output.Statuses.AsSpan(0, block.Transactions.Length).SequenceEqual(block.Statuses))
            {
                throw new LedgerCorruptionException(path, block.Location.Offset, $"replaying block {header.Height} does not reproduce its stored roots");
            }

            Index(block.Transactions, header.Height);
            _jobIndex.Add(block.Transactions, block.Statuses, header.Height, _store.Jobs);
            _blocks.Add(new CommittedBlock(header, header.Hash, block.Location, block.Statuses));
            Height = header.Height;
            LatestHash = header.Hash;
            LatestTimestampMs = header.TimestampMs;
        });

        _jobIndex.RebuildFromRecords(_store.Jobs);
    }

    private void LoadSnapshot(Snapshot snapshot)
    {
        var directory = Path.Combine(_options.DataDirectory, "snapshots");
        _store.Import(snapshot.Ids, snapshot.States);
        _store.Jobs.Import(snapshot.JobIds, snapshot.Jobs);
        _tree.Rebuild(_store);
        if (_tree.Root != snapshot.StateRoot)
        {
            throw new LedgerCorruptionException(directory, 0, $"snapshot at height {snapshot.Height} does not match its state root");
        }

        if (snapshot.Blocks.Length == 0 || snapshot.Blocks[^1].Header.Height != snapshot.Height || snapshot.Blocks[^1].Hash != snapshot.BlockHash ||
            snapshot.Blocks[^1].Header.StateRoot != snapshot.StateRoot)
        {
            throw new LedgerCorruptionException(directory, 0, $"snapshot at height {snapshot.Height} does not end with its own block");
        }

        _blocks.AddRange(snapshot.Blocks);
        _firstHeight = snapshot.Blocks[0].Header.Height;
        _index.EnsureCapacity(snapshot.Receipts.Length);
        foreach (var (id, packed) in snapshot.Receipts)
        {
            _index[id] = packed;
        }

        _jobIndex.Import(snapshot.JobIndex);
        _snapshotHeight = snapshot.Height;
        var last = snapshot.Blocks[^1];
        Height = last.Header.Height;
        LatestHash = last.Hash;
        LatestTimestampMs = last.Header.TimestampMs;
    }

    private void Index(ReadOnlySpan<Transaction> transactions, long height)
    {
        for (var i = 0; i < transactions.Length; i++)
        {
            _index[transactions[i].Id] = Pack(height, i);
        }
    }

    private async Task CommitLoop()
    {
        var block = new List<Transaction>(_options.MaxBlockSize);
        var origins = new List<(Submission Submission, int Index)>(_options.MaxBlockSize);
        var duplicates = new List<(Submission Submission, int Index, int Position)>();
        var reader = _queue.Reader;
        var lastBlockEnded = long.MinValue / 2;
        try
        {
            while (true)
            {
                var first = _carry;
                _carry = null;
                if (first is null)
                {
                    if (!await WaitForMore(reader, PruneCheckInterval).ConfigureAwait(false))
                    {
                        if (reader.Completion.IsCompleted)
                        {
                            return;
                        }

                        // Idle: a block of due job-prunes alone, so that an idle platform still forgets old jobs.
                        if (_jobIndex.HasDue(PruneCutoff(Math.Max(LatestTimestampMs, _time.GetUtcNow().ToUnixTimeMilliseconds()))))
                        {
                            CommitBlock([], block, origins, duplicates);
                        }

                        continue;
                    }

                    if (!reader.TryRead(out first))
                    {
                        continue;
                    }
                }

                var started = Stopwatch.GetTimestamp();
                var size = first.Transactions.Length;
                var batch = new List<Submission> { first };
                // The window waits for more only under load (the last block ended less than one window ago): after a
                // quiet spell a submission commits at once, with whatever else is already queued.
                var window = (long)(_options.BlockIntervalMilliseconds * Stopwatch.Frequency / 1000.0);
                var deadline = started - lastBlockEnded < window ? started + window : started;
                while (size < _options.MaxBlockSize)
                {
                    if (reader.TryRead(out var next))
                    {
                        if (size + next.Transactions.Length > _options.MaxBlockSize)
                        {
                            _carry = next;
                            break;
                        }

                        batch.Add(next);
                        size += next.Transactions.Length;
                        continue;
                    }

                    var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                    if (remaining <= TimeSpan.Zero || !await WaitForMore(reader, remaining).ConfigureAwait(false))
                    {
                        break;
                    }
                }

                try
                {
                    CommitBlock(batch, block, origins, duplicates);
                }
                catch (Exception ex)
                {
                    foreach (var failed in batch)
                    {
                        failed.Completion.TrySetException(ex);
                    }

                    _carry?.Completion.TrySetException(ex);
                    throw;
                }

                lastBlockEnded = Stopwatch.GetTimestamp();
                BlockDuration.Record(Stopwatch.GetElapsedTime(started, lastBlockEnded).TotalMilliseconds);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _fault = ex;
            LogStorageFailure(ex);
            _queue.Writer.TryComplete();
            while (reader.TryRead(out var orphan))
            {
                orphan.Completion.TrySetException(ex);
            }
        }
    }

    private async ValueTask<bool> WaitForMore(ChannelReader<Submission> reader, TimeSpan remaining)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(remaining);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return false;
        }
    }

    private void CommitBlock(
        List<Submission> batch,
        List<Transaction> block,
        List<(Submission Submission, int Index)> origins,
        List<(Submission Submission, int Index, int Position)> duplicates)
    {
        block.Clear();
        origins.Clear();
        duplicates.Clear();
        var accepted = 0;
        var height = Height + 1;
        CommittedBlock? committed = null;
        _stateLock.EnterWriteLock();
        try
        {
            // One probe of the transaction index per transaction: a new id is entered at once with its place in this
            // block (height, position), which a duplicate later in the block finds; the lock hides the entries until
            // the block is durable, and they are taken out again if it fails.
            foreach (var submission in batch)
            {
                accepted += submission.Transactions.Length;
                for (var i = 0; i < submission.Transactions.Length; i++)
                {
                    var id = submission.Transactions[i].Id;
                    ref var packed = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, id, out var known);
                    if (!known)
                    {
                        packed = Pack(height, block.Count);
                        block.Add(submission.Transactions[i]);
                        origins.Add((submission, i));
                    }
                    else if (HeightOf(packed) == height)
                    {
                        duplicates.Add((submission, i, PositionOf(packed)));
                    }
                    else
                    {
                        submission.Resolve(i, ReceiptAt(id, packed));
                    }
                }
            }

            // Chosen before execution and never earlier than the previous block's, so that replay and both executors agree,
            // nor than a time a reader was promised no block would come before (FinishedJobs). The lower bound is posted first.
            Interlocked.Exchange(ref _formingTimestampMs, LatestTimestampMs);
            var timestamp = Math.Max(Math.Max(LatestTimestampMs, _time.GetUtcNow().ToUnixTimeMilliseconds()), Interlocked.Read(ref _promisedMs));
            Interlocked.Exchange(ref _formingTimestampMs, timestamp);
            AppendDuePrunes(block, height, timestamp);
            if (block.Count > 0)
            {
                committed = Commit(block, height, timestamp);
            }
        }
        catch when (Height < height)
        {
            // Not committed: its ids leave the index (the node then stops; a restart recovers from the log).
            foreach (var tx in block)
            {
                _index.Remove(tx.Id);
            }

            throw;
        }
        finally
        {
            _stateLock.ExitWriteLock();
        }

        if (committed is not null)
        {
            Depin.ServiceDefaults.Testing.FaultPoints.Reached(Depin.ServiceDefaults.Testing.FaultPoints.LedgerCommitted);
            for (var i = 0; i < origins.Count; i++)
            {
                origins[i].Submission.Resolve(origins[i].Index, new Receipt(block[i].Id, height, i, committed.Statuses[i]));
            }

            foreach (var (submission, index, position) in duplicates)
            {
                submission.Resolve(index, new Receipt(block[position].Id, height, position, committed.Statuses[position]));
            }

            CommittedTransactions.Add(block.Count);
            BlockCommitted?.Invoke(committed);
        }

        Interlocked.Exchange(ref _formingTimestampMs, long.MaxValue);
        Interlocked.Add(ref _pending, -accepted);
    }

    /// <summary>Executes, commits to the roots, logs with fsync and indexes the formed block; under the write lock.</summary>
    private CommittedBlock Commit(List<Transaction> block, long height, long timestamp)
    {
        var transactions = CollectionsMarshal.AsSpan(block);
        if (_executing.Length < block.Count)
        {
            _executing = new Transaction[Math.Max(block.Count, _options.MaxBlockSize + MaxPrunesPerBlock)];
        }

        // One array for every block: a fresh copy per block (3 MB at 20,000 transactions) was a large-object allocation each time.
        transactions.CopyTo(_executing);
        Executor.Execute(_store, _executing.AsMemory(0, block.Count), height, timestamp, _output);
        var stateRoot = _tree.Update(_store, Executor.Helpers);
        var header = new BlockHeader(height, LatestHash, stateRoot, _output.ReceiptsRoot(), timestamp, block.Count);
        var statuses = _output.Statuses.AsSpan(0, block.Count).ToArray();
        var location = _log.Append(header, transactions, statuses);
        var committed = new CommittedBlock(header, header.Hash, location, statuses);
        _jobIndex.Add(transactions, statuses, height, _store.Jobs);
        _jobIndex.TrackOpen(transactions, statuses, _store.Jobs);
        _blocks.Add(committed);
        Height = height;
        LatestHash = committed.Hash;
        LatestTimestampMs = timestamp;
        _sinceSnapshot += block.Count;
        _blocksSinceSnapshot++;
        if (SnapshotDue() && _snapshotWrite.IsCompleted)
        {
            _sinceSnapshot = 0;
            _blocksSinceSnapshot = 0;
            var taking = Stopwatch.GetTimestamp();
            Archive(timestamp);
            var snapshot = TakeSnapshot(committed);
            _snapshotHeight = height;
            var taken = Stopwatch.GetElapsedTime(taking).TotalMilliseconds;
            (_lastSnapshotAt, _lastSnapshotTakeMs) = (Stopwatch.GetTimestamp(), taken);
            _snapshotWrite = Task.Run(() => WriteSnapshot(snapshot, taken));
        }

        return committed;
    }

    /// <summary>
    /// Every <see cref="LedgerOptions.SnapshotIntervalTransactions"/>, and every <see cref="LedgerOptions.SnapshotIntervalBlocks"/>
    /// as long as taking snapshots (which stalls the commit thread in proportion to the state and its indexes) costs it
    /// at most a twentieth of its time once a snapshot takes 50 ms or more. A due snapshot stays due while the previous
    /// one is still being written.
    /// </summary>
    private bool SnapshotDue() =>
        _sinceSnapshot >= _options.SnapshotIntervalTransactions ||
        (_blocksSinceSnapshot >= _options.SnapshotIntervalBlocks &&
         (_lastSnapshotTakeMs < 50 || Stopwatch.GetElapsedTime(_lastSnapshotAt).TotalMilliseconds >= 20 * _lastSnapshotTakeMs));

    private static readonly TimeSpan PruneCheckInterval = TimeSpan.FromSeconds(1);

    private long PruneCutoff(long timestampMs) => timestampMs - (long)_options.Retention.TotalMilliseconds;

    /// <summary>Adds a job-prune for each final record whose retention window has passed by <paramref name="timestampMs"/>, up to the block's room.</summary>
    private void AppendDuePrunes(List<Transaction> block, long height, long timestampMs)
    {
        var room = Math.Min(_options.MaxBlockSize - block.Count, MaxPrunesPerBlock);
        if (room <= 0 || !_jobIndex.HasDue(PruneCutoff(timestampMs)))
        {
            return;
        }

        _due.Clear();
        _pruning.Clear();
        _jobIndex.TakeDue(PruneCutoff(timestampMs), room, _store.Jobs, _due);
        var retention = (long)_options.Retention.TotalMilliseconds;
        foreach (var (job, record) in _due)
        {
            var id = TxId.Derive($"job-prune:{job}:{record.FinishedAt}");
            if (!_pruning.Add(job) || !_index.TryAdd(id, Pack(height, block.Count)))
            {
                continue;
            }

            block.Add(new Transaction(id, ProgramKind.JobPrune, record.Customer, record.Provider, retention, 0, job));
        }
    }

    private const int MaxPrunesPerBlock = 4096;

    /// <summary>
    /// Forgets what is older than the retention window and that no live job refers to: blocks (headers and receipt
    /// statuses), their transaction ids, and the histories of jobs that never had a record. Runs under the write lock
    /// before a snapshot, whose write then deletes the log segments before the first block kept.
    /// </summary>
    private void Archive(long timestampMs)
    {
        var cutoff = PruneCutoff(timestampMs);
        int low = 0, high = _blocks.Count - 1;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_blocks[mid].Header.TimestampMs >= cutoff)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        var keepFrom = Math.Min(_firstHeight + low, _jobIndex.OldestLiveHeight(_store.Jobs));
        keepFrom = Math.Min(keepFrom, Height);
        if (keepFrom <= _firstHeight)
        {
            return;
        }

        _blocks.RemoveRange(0, (int)(keepFrom - _firstHeight));
        Volatile.Write(ref _firstHeight, keepFrom);
        foreach (var (id, packed) in _index)
        {
            if (HeightOf(packed) < keepFrom)
            {
                _index.Remove(id);
            }
        }

        _jobIndex.ForgetRecordlessBefore(keepFrom, _store.Jobs);
    }

    private Snapshot TakeSnapshot(CommittedBlock block)
    {
        var (ids, states) = _store.Export();
        var (jobIds, jobs) = _store.Jobs.Export();
        var receipts = new (TxId, long)[_index.Count];
        var i = 0;
        foreach (var (id, packed) in _index)
        {
            receipts[i++] = (id, packed);
        }

        return new Snapshot(block.Header.Height, block.Hash, block.Header.StateRoot, ids, states, jobIds, jobs, [.. _blocks], receipts, _jobIndex.Export());
    }

    private void WriteSnapshot(Snapshot snapshot, double takenMilliseconds)
    {
        try
        {
            var writing = Stopwatch.GetTimestamp();
            _snapshots.Write(snapshot);
            var deleted = _log.DeleteBefore(snapshot.Blocks[0].Location.Segment);
            LogSnapshot(snapshot.Height, snapshot.Count, snapshot.Jobs.Length, snapshot.Receipts.Length, takenMilliseconds, Stopwatch.GetElapsedTime(writing).TotalMilliseconds, snapshot.Blocks[0].Header.Height, deleted);
        }
        catch (Exception ex)
        {
            LogSnapshotFailed(snapshot.Height, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger recovered at height {Height}: {Accounts} accounts, {Jobs} job records, {Transactions} transactions indexed, in {Milliseconds:F0} ms ({SnapshotMilliseconds:F0} ms of them loading the snapshot, the rest reading the log)")]
    private partial void LogRecovered(long height, int accounts, int transactions, double milliseconds, double snapshotMilliseconds, int jobs);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Ledger storage failed; the node stops accepting transactions")]
    private partial void LogStorageFailure(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot written at height {Height} ({Accounts} accounts, {Jobs} job slots, {Transactions} transaction ids): taken in {TakenMilliseconds:F0} ms on the commit thread, written in {WrittenMilliseconds:F0} ms; blocks from {FirstHeight} kept, {Segments} log segments deleted")]
    private partial void LogSnapshot(long height, int accounts, int jobs, int transactions, double takenMilliseconds, double writtenMilliseconds, long firstHeight, int segments);

    [LoggerMessage(Level = LogLevel.Error, Message = "Snapshot at height {Height} failed")]
    private partial void LogSnapshotFailed(long height, Exception exception);
}
