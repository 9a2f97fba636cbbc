using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Jobs;
using Depin.Ledger.Programs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Execution;

/// <summary>
/// Block-STM optimistic parallel executor. Produces exactly the receipts and state of <see cref="SequentialExecutor"/>
/// for the same block, whatever the number of workers. Not thread-safe: one block at a time.
/// </summary>
public sealed class ParallelExecutor : IParallelBlockExecutor
{
    private const int MaxAccounts = 4;

    private readonly ExecutionSettings _settings;
    private readonly WorkerGroup _workers;
    private readonly MultiVersionMemory<AccountState> _memory = new();
    private readonly MultiVersionMemory<JobRecord> _recordMemory = new();
    private readonly BlockStmScheduler _scheduler = new();

    private byte[] _accountCount = [];
    private int[] _slot = [];
    private AccountId[] _missing = [];
    private int[] _position = [];
    private int[] _start = [];
    private int[] _readPosition = [];
    private int[] _readIncarnation = [];
    private byte[] _lastWriteMask = [];
    private ReceiptStatus[] _status = [];
    private int[] _locationOfSlot = [];
    private int[] _locationSlot = [];
    private int[] _locationStart = [];
    private bool[] _locationWritten = [];
    private int[] _entryTx = [];

    // Job records: at most one per transaction, in a multi-version memory of their own.
    private int[] _recordSlot = [];
    private int[] _recordPosition = [];
    private int[] _recordStart = [];
    private int[] _recordReadPosition = [];
    private int[] _recordReadIncarnation = [];
    private int[] _recordLocationOfSlot = [];
    private int[] _recordLocationSlot = [];
    private int[] _recordLocationStart = [];
    private bool[] _recordLocationWritten = [];
    private int[] _recordEntryTx = [];

    private AccountStore? _store;

    private Transaction[] _txs = [];
    private int _count;
    private BlockContext _context;

    public ParallelExecutor(ExecutionSettings settings, int workers)
    {
        _settings = settings;
        _workers = new WorkerGroup(workers);
    }

    public int Workers => _workers.Workers;

    public WorkerGroup? Helpers => _workers;

    /// <summary>Executes with block timestamp 0 (for blocks without job programs).</summary>
    public void Execute(AccountStore store, ReadOnlyMemory<Transaction> block, long height, BlockOutput output) => Execute(store, block, height, 0, output);

    public void Execute(AccountStore store, ReadOnlyMemory<Transaction> block, long height, long timestampMs, BlockOutput output)
    {
        var n = block.Length;
        output.Reset(n);
        if (n == 0)
        {
            return;
        }

        EnsureCapacity(n);
        block.Span.CopyTo(_txs);
        _count = n;
        _context = new BlockContext(height, timestampMs, _settings.UnbondingDelayMs);
        _store = store;

        _workers.For(n, (from, to) => ResolveKnownAccounts(store, from, to));
        var locations = LayOutLocations(store);
        var recordLocations = LayOutRecordLocations(store.Jobs);
        _memory.Reset(_locationStart[locations]);
        _recordMemory.Reset(_recordLocationStart[recordLocations]);
        _scheduler.Reset(n);

        _workers.Run(_ => RunScheduler());

        _workers.For(locations, (from, to) => ApplyFinalWrites(store, from, to));
        ApplyFinalRecordWrites(store.Jobs, recordLocations);
        store.Jobs.ReleaseVacantSlots();
        _workers.For(n, (from, to) => WriteReceipts(output, from, to));

        for (var location = 0; location < locations; location++)
        {
            var slot = _locationSlot[location];
            _locationOfSlot[slot] = -1;
            if (_locationWritten[location])
            {
                store.MarkDirty(slot);
            }
        }
    }

    public void Dispose() => _workers.Dispose();

    private void EnsureCapacity(int n)
    {
        if (_txs.Length >= n)
        {
            return;
        }

        var capacity = Math.Max(n, _txs.Length * 2);
        _txs = new Transaction[capacity];
        _accountCount = new byte[capacity];
        _slot = new int[capacity * MaxAccounts];
        _missing = new AccountId[capacity * MaxAccounts];
        _position = new int[capacity * MaxAccounts];
        _start = new int[capacity * MaxAccounts];
        _readPosition = new int[capacity * MaxAccounts];
        _readIncarnation = new int[capacity * MaxAccounts];
        _lastWriteMask = new byte[capacity];
        _status = new ReceiptStatus[capacity];
        _locationSlot = new int[capacity * MaxAccounts];
        _locationStart = new int[capacity * MaxAccounts + 1];
        _locationWritten = new bool[capacity * MaxAccounts];
        _entryTx = new int[capacity * MaxAccounts];
        _recordSlot = new int[capacity];
        _recordPosition = new int[capacity];
        _recordStart = new int[capacity];
        _recordReadPosition = new int[capacity];
        _recordReadIncarnation = new int[capacity];
        _recordLocationSlot = new int[capacity];
        _recordLocationStart = new int[capacity + 1];
        _recordLocationWritten = new bool[capacity];
        _recordEntryTx = new int[capacity];
    }

    private void ResolveKnownAccounts(AccountStore store, int from, int to)
    {
        Span<AccountId> ids = stackalloc AccountId[MaxAccounts];
        for (var j = from; j < to; j++)
        {
            ref readonly var tx = ref _txs[j];
            var shape = NativePrograms.CheckShape(tx);
            _status[j] = shape;
            _lastWriteMask[j] = 0;
            _recordSlot[j] = -1;
            if (shape != ReceiptStatus.Success)
            {
                _accountCount[j] = 0;
                continue;
            }

            if (tx.HasJobRecord)
            {
                // Resolved (and added) in block order by LayOutRecordLocations; -2 marks "has a record".
                _recordSlot[j] = -2;
            }

            var count = tx.DeclaredAccounts(ids);
            _accountCount[j] = (byte)count;
            var baseIndex = j * MaxAccounts;
            for (var k = 0; k < count; k++)
            {
                if (store.TryGetSlot(ids[k], out var slot))
                {
                    _slot[baseIndex + k] = slot;
                }
                else
                {
                    _slot[baseIndex + k] = -1;
                    _missing[baseIndex + k] = ids[k];
                }
            }
        }
    }

    /// <summary>
    /// Adds new accounts in first-appearance order (as the sequential executor does), then lays out one
    /// multi-version entry per (account, transaction), grouped by account and ordered by transaction.
    /// </summary>
    private int LayOutLocations(AccountStore store)
    {
        var locations = 0;
        for (var j = 0; j < _count; j++)
        {
            var baseIndex = j * MaxAccounts;
            for (var k = 0; k < _accountCount[j]; k++)
            {
                var slot = _slot[baseIndex + k];
                if (slot < 0)
                {
                    slot = store.GetOrAddSlot(_missing[baseIndex + k]);
                    _slot[baseIndex + k] = slot;
                }

                if (_locationOfSlot.Length <= slot)
                {
                    var grown = new int[Math.Max(store.Capacity, slot + 1)];
                    Array.Fill(grown, -1);
                    _locationOfSlot.AsSpan().CopyTo(grown);
                    _locationOfSlot = grown;
                }

                var location = _locationOfSlot[slot];
                if (location < 0)
                {
                    location = locations++;
                    _locationOfSlot[slot] = location;
                    _locationSlot[location] = slot;
                    _locationStart[location] = 0;
                    _locationWritten[location] = false;
                }

                _locationStart[location]++;
                _start[baseIndex + k] = location;
            }
        }

        var offset = 0;
        for (var location = 0; location < locations; location++)
        {
            var size = _locationStart[location];
            _locationStart[location] = offset;
            offset += size;
        }

        _locationStart[locations] = offset;

        // _position temporarily counts fills per location; reuse _readPosition as the cursor array.
        var cursor = _readPosition;
        Array.Copy(_locationStart, cursor, locations);
        for (var j = 0; j < _count; j++)
        {
            var baseIndex = j * MaxAccounts;
            for (var k = 0; k < _accountCount[j]; k++)
            {
                var location = _start[baseIndex + k];
                var position = cursor[location]++;
                _position[baseIndex + k] = position;
                _entryTx[position] = j;
                _start[baseIndex + k] = _locationStart[location];
            }
        }

        return locations;
    }

    /// <summary>
    /// Adds new job records in first-appearance order (as the sequential executor does) and lays out one multi-version
    /// entry per (record, transaction), grouped by record and ordered by transaction.
    /// </summary>
    private int LayOutRecordLocations(Jobs.JobStore jobs)
    {
        var locations = 0;
        for (var j = 0; j < _count; j++)
        {
            if (_recordSlot[j] == -1)
            {
                continue;
            }

            var slot = jobs.GetOrAddSlot(_txs[j].Job);
            _recordSlot[j] = slot;
            if (_recordLocationOfSlot.Length <= slot)
            {
                var grown = new int[Math.Max(jobs.Capacity, slot + 1)];
                Array.Fill(grown, -1);
                _recordLocationOfSlot.AsSpan().CopyTo(grown);
                _recordLocationOfSlot = grown;
            }

            var location = _recordLocationOfSlot[slot];
            if (location < 0)
            {
                location = locations++;
                _recordLocationOfSlot[slot] = location;
                _recordLocationSlot[location] = slot;
                _recordLocationStart[location] = 0;
                _recordLocationWritten[location] = false;
            }

            _recordLocationStart[location]++;
            _recordStart[j] = location;
        }

        var offset = 0;
        for (var location = 0; location < locations; location++)
        {
            var size = _recordLocationStart[location];
            _recordLocationStart[location] = offset;
            offset += size;
        }

        _recordLocationStart[locations] = offset;
        for (var location = 0; location < locations; location++)
        {
            _recordReadPosition[location] = _recordLocationStart[location];
        }

        // _recordReadPosition is the fill cursor per location until execution overwrites it.
        for (var j = 0; j < _count; j++)
        {
            if (_recordSlot[j] < 0)
            {
                continue;
            }

            var location = _recordStart[j];
            var position = _recordReadPosition[location]++;
            _recordPosition[j] = position;
            _recordEntryTx[position] = j;
            _recordStart[j] = _recordLocationStart[location];
        }

        return locations;
    }

    private void RunScheduler()
    {
        Span<AccountState> accounts = stackalloc AccountState[MaxAccounts];
        var task = BlockStmScheduler.WorkItem.None;
        var claim = default(BlockStmScheduler.Claim);
        while (!_scheduler.Done)
        {
            task = task.Kind switch
            {
                BlockStmScheduler.TaskKind.Execute => TryExecute(task.Tx, task.Incarnation, accounts, ref claim),
                BlockStmScheduler.TaskKind.Validate => Validate(task.Tx, task.Incarnation, ref claim),
                _ => task,
            };

            if (task.Kind == BlockStmScheduler.TaskKind.None)
            {
                task = _scheduler.NextTask(ref claim);
            }
        }
    }

    private BlockStmScheduler.WorkItem TryExecute(int tx, int incarnation, Span<AccountState> accounts, ref BlockStmScheduler.Claim claim)
    {
        while (true)
        {
            var blocking = ExecuteIncarnation(tx, incarnation, accounts, out var wroteNewLocation);
            if (blocking < 0)
            {
                return _scheduler.FinishExecution(tx, incarnation, wroteNewLocation, ref claim);
            }

            if (_scheduler.AddDependency(tx, blocking, ref claim))
            {
                return BlockStmScheduler.WorkItem.None;
            }
        }
    }

    /// <summary>Runs one incarnation; returns -1 when it completed, else the index of the transaction it must wait for.</summary>
    private int ExecuteIncarnation(int tx, int incarnation, Span<AccountState> accounts, out bool wroteNewLocation)
    {
        wroteNewLocation = false;
        var count = _accountCount[tx];
        var recordSlot = _recordSlot[tx];
        if (count == 0 && recordSlot < 0)
        {
            return -1;
        }

        var baseIndex = tx * MaxAccounts;
        for (var k = 0; k < count; k++)
        {
            var i = baseIndex + k;
            var read = _memory.Read(_start[i], _position[i], out var readIncarnation, out accounts[k]);
            if (read <= -2)
            {
                return _entryTx[-2 - read];
            }

            if (read == MultiVersionMemory<AccountState>.FromStorage)
            {
                accounts[k] = _store!.StateAt(_slot[i]);
            }

            _readPosition[i] = read;
            _readIncarnation[i] = readIncarnation;
        }

        var job = default(JobRecord);
        if (recordSlot >= 0)
        {
            var read = _recordMemory.Read(_recordStart[tx], _recordPosition[tx], out var readIncarnation, out job);
            if (read <= -2)
            {
                return _recordEntryTx[-2 - read];
            }

            if (read == MultiVersionMemory<JobRecord>.FromStorage)
            {
                job = _store!.Jobs.StateAt(recordSlot);
            }

            _recordReadPosition[tx] = read;
            _recordReadIncarnation[tx] = readIncarnation;
        }

        _status[tx] = NativePrograms.Execute(_txs[tx], _context, accounts[..count], ref job, out var mask);
        var previous = _lastWriteMask[tx];
        if ((mask & NativePrograms.RecordWritten) != 0)
        {
            _recordMemory.Write(_recordPosition[tx], incarnation, job);
        }
        else if ((previous & NativePrograms.RecordWritten) != 0)
        {
            _recordMemory.Remove(_recordPosition[tx]);
        }

        for (var k = 0; k < count; k++)
        {
            var bit = 1 << k;
            if ((mask & bit) != 0)
            {
                _memory.Write(_position[baseIndex + k], incarnation, accounts[k]);
            }
            else if ((previous & bit) != 0)
            {
                _memory.Remove(_position[baseIndex + k]);
            }
        }

        wroteNewLocation = (mask & ~previous) != 0;
        _lastWriteMask[tx] = (byte)mask;
        return -1;
    }

    private BlockStmScheduler.WorkItem Validate(int tx, int incarnation, ref BlockStmScheduler.Claim claim)
    {
        var count = _accountCount[tx];
        var baseIndex = tx * MaxAccounts;
        var valid = true;
        for (var k = 0; k < count && valid; k++)
        {
            var i = baseIndex + k;
            valid = _memory.StillReads(_start[i], _position[i], _readPosition[i], _readIncarnation[i]);
        }

        if (valid && _recordSlot[tx] >= 0)
        {
            valid = _recordMemory.StillReads(_recordStart[tx], _recordPosition[tx], _recordReadPosition[tx], _recordReadIncarnation[tx]);
        }

        var aborted = !valid && _scheduler.TryValidationAbort(tx, incarnation);
        if (aborted)
        {
            var mask = _lastWriteMask[tx];
            for (var k = 0; k < count; k++)
            {
                if ((mask & (1 << k)) != 0)
                {
                    _memory.MarkEstimate(_position[baseIndex + k]);
                }
            }

            if ((mask & NativePrograms.RecordWritten) != 0)
            {
                _recordMemory.MarkEstimate(_recordPosition[tx]);
            }
        }

        return _scheduler.FinishValidation(tx, aborted, ref claim);
    }

    private void ApplyFinalWrites(AccountStore store, int from, int to)
    {
        for (var location = from; location < to; location++)
        {
            if (_memory.TryFinal(_locationStart[location], _locationStart[location + 1], out var value))
            {
                store.StateAt(_locationSlot[location]) = value;
                _locationWritten[location] = true;
            }
        }
    }

    private void ApplyFinalRecordWrites(Jobs.JobStore jobs, int locations)
    {
        for (var location = 0; location < locations; location++)
        {
            var slot = _recordLocationSlot[location];
            _recordLocationOfSlot[slot] = -1;
            if (_recordMemory.TryFinal(_recordLocationStart[location], _recordLocationStart[location + 1], out var value))
            {
                jobs.StateAt(slot) = value;
                jobs.MarkDirty(slot);
            }
        }
    }

    private void WriteReceipts(BlockOutput output, int from, int to)
    {
        _status.AsSpan(from, to - from).CopyTo(output.Statuses.AsSpan(from));
        ReceiptHashing.Leaves(_txs, output.Statuses, _context.Height, from, to, output.ReceiptLeaves);
    }
}
