using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Jobs;
using Depin.Ledger.Programs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Execution;

/// <summary>
/// Parallel executor that schedules from what native programs declare before they run (their accounts and job record):
/// each transaction waits only for the transactions before it in the block that touch one of them, so conflict-free
/// transactions run side by side without speculation, multi-version memory or re-execution, writing the store directly.
/// Workers claim chunks of <see cref="ChunkSize"/> transactions in block order and publish how far into each they got;
/// a transaction whose predecessor is in an earlier chunk waits until that chunk's worker has passed it (a worker that
/// starts late claims fewer chunks instead of holding the others up). A block whose longest chain of conflicts is more than half its length (a few hot accounts) runs in order on
/// one thread after the parallel account resolution, so contention never costs more than the sequential run. Produces exactly the
/// receipts and state of <see cref="SequentialExecutor"/>. Not thread-safe: one block at a time.
/// <para>
/// Hot accounts (the treasury that every settlement pays a fee into, the reward pool every reward credit draws from) are
/// commutative deltas, in the style of Aptos aggregators: when a block uses them only through fee credits, reward
/// credits and deposits, and the bounds show that no prefix of the block can overflow them or draw the pool below zero,
/// those transactions do not wait for each other on the hot account; each runs against a sentinel balance and its
/// change is summed per worker and applied once at the end. Any other use of a hot account in the block chains it as usual.
/// </para>
/// </summary>
public sealed class ScheduledExecutor : IParallelBlockExecutor
{
    /// <summary>Transactions per chunk: neighbours in a chunk run on one worker, so they share cache lines of the output, not of the workers.</summary>
    public const int ChunkSize = 16;

    /// <summary>Ints between two chunks' completion counters: each on a cache line of its own.</summary>
    private const int ChunkStride = 16;

    private const int MaxAccounts = 4;
    private const int Slots = MaxAccounts + 1;
    private const int Record = MaxAccounts;
    private const int HotAccounts = 2;
    private const int SumStride = 16;

    /// <summary>The balance a hot account shows to a transaction that runs as a delta; its change is the delta.</summary>
    private const long Sentinel = 1L << 62;

    private static readonly AccountId[] Hot = [SystemAccounts.Treasury, SystemAccounts.RewardPool];

    private readonly ExecutionSettings _settings;
    private readonly SequentialExecutor _sequential;
    private readonly WorkerGroup _workers;
    private readonly long[] _deltaSums;
    private readonly object _boundsLock = new();
    private readonly int[] _hotSlot = new int[HotAccounts];
    private readonly bool[] _hotPlain = new bool[HotAccounts];
    private readonly bool[] _hotDelta = new bool[HotAccounts];
    private readonly bool[] _hotWritten = new bool[HotAccounts];
    private readonly Int128[] _hotCredits = new Int128[HotAccounts];
    private readonly Int128[] _hotDebits = new Int128[HotAccounts];
    private sbyte[] _deltaAccount = [];

    private Transaction[] _txs = [];
    private byte[] _accountCount = [];
    private int[] _slot = [];
    private AccountId[] _missing = [];
    private int[] _predecessor = [];
    private int[] _depth = [];
    private int[] _chunkDone = [];
    private PaddedCounter _nextChunk;
    private ReceiptStatus[] _status = [];

    private int[] _lastTx = [];
    private bool[] _written = [];
    private int[] _touched = [];
    private int[] _lastRecordTx = [];
    private bool[] _recordWritten = [];
    private int[] _touchedRecords = [];

    private AccountStore? _store;
    private BlockOutput? _output;
    private int _count;
    private BlockContext _context;

    public ScheduledExecutor(ExecutionSettings settings, int workers)
    {
        _settings = settings;
        _sequential = new SequentialExecutor(settings);
        _workers = new WorkerGroup(workers);
        _deltaSums = new long[(workers + 1) * SumStride];
    }

    public int Workers => _workers.Workers;

    public WorkerGroup? Helpers => _workers;

    /// <summary>Whether the last block ran in order on one thread (its longest chain of conflicts was over half the block).</summary>
    public bool LastBlockInOrder { get; private set; }

    /// <summary>Executes with block timestamp 0 (for blocks without job programs).</summary>
    public void Execute(AccountStore store, ReadOnlyMemory<Transaction> block, long height, BlockOutput output) => Execute(store, block, height, 0, output);

    public void Execute(AccountStore store, ReadOnlyMemory<Transaction> block, long height, long timestampMs, BlockOutput output)
    {
        if (Workers == 1)
        {
            // Nothing to schedule: the reference executor is the fastest way through a block on one thread.
            LastBlockInOrder = true;
            _sequential.Execute(store, block, height, timestampMs, output);
            return;
        }

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
        _output = output;
        try
        {
            PrepareHotAccounts(store);
            _workers.For(n, (from, to) => Resolve(store, from, to));
            DecideHotAccounts(store);
            var (touched, touchedRecords, criticalPath) = Schedule(store);
            LastBlockInOrder = criticalPath * 2 > n;
            if (LastBlockInOrder)
            {
                for (var j = 0; j < n; j++)
                {
                    ExecuteOne(j, 0);
                }

                ReceiptHashing.Leaves(_txs, output.Statuses, height, 0, n, output.ReceiptLeaves);
            }
            else
            {
                _nextChunk.Value = 0;
                Array.Clear(_chunkDone, 0, ((n + ChunkSize - 1) / ChunkSize) * ChunkStride);
                _workers.Run(RunChunks);
            }

            Finish(store, touched, touchedRecords);
        }
        finally
        {
            _store = null;
            _output = null;
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
        _slot = new int[capacity * Slots];
        _missing = new AccountId[capacity * MaxAccounts];
        _predecessor = new int[capacity * Slots];
        _depth = new int[capacity];
        _chunkDone = new int[((capacity + ChunkSize - 1) / ChunkSize) * ChunkStride];
        _deltaAccount = new sbyte[capacity];
        _status = new ReceiptStatus[capacity];
        _touched = new int[capacity * MaxAccounts];
        _touchedRecords = new int[capacity];
    }

    /// <summary>Shape checks and the slots of accounts and records that exist already, in parallel (lookups only).</summary>
    private void Resolve(AccountStore store, int from, int to)
    {
        Span<AccountId> ids = stackalloc AccountId[MaxAccounts];
        Span<Int128> credits = stackalloc Int128[HotAccounts];
        Span<Int128> debits = stackalloc Int128[HotAccounts];
        ResolveRange(store, from, to, ids, credits, debits);
        lock (_boundsLock)
        {
            for (var h = 0; h < HotAccounts; h++)
            {
                _hotCredits[h] += credits[h];
                _hotDebits[h] += debits[h];
            }
        }
    }

    private void ResolveRange(AccountStore store, int from, int to, Span<AccountId> ids, Span<Int128> credits, Span<Int128> debits)
    {
        for (var j = from; j < to; j++)
        {
            ref readonly var tx = ref _txs[j];
            var shape = NativePrograms.CheckShape(tx);
            _status[j] = shape;
            var baseIndex = j * Slots;
            if (shape != ReceiptStatus.Success)
            {
                _accountCount[j] = 0;
                _deltaAccount[j] = -1;
                _slot[baseIndex + Record] = -1;
                continue;
            }

            var count = tx.DeclaredAccounts(ids);
            _accountCount[j] = (byte)count;
            _deltaAccount[j] = -1;
            for (var k = 0; k < count; k++)
            {
                for (var h = 0; h < HotAccounts; h++)
                {
                    if (ids[k] != Hot[h])
                    {
                        continue;
                    }

                    var change = DeltaChange(tx, k, h);
                    if (change == 0)
                    {
                        _hotPlain[h] = true;
                    }
                    else
                    {
                        _deltaAccount[j] = (sbyte)k;
                        (change > 0 ? credits : debits)[h] += Int128.Abs(change);
                    }
                }

                if (!store.TryGetSlot(ids[k], out _slot[baseIndex + k]))
                {
                    _slot[baseIndex + k] = -1;
                    _missing[(j * MaxAccounts) + k] = ids[k];
                }
            }

            // -2: has a record that does not exist yet; added in block order by Schedule.
            _slot[baseIndex + Record] = !tx.HasJobRecord ? -1 : store.Jobs.TryGetSlot(tx.Job, out var recordSlot) ? recordSlot : -2;
        }
    }

    /// <summary>
    /// One pass in block order: adds new accounts and records in first-appearance order (as the sequential executor does)
    /// and gives each transaction, per account and record, the last transaction before it that touched the same one.
    /// Returns the touched slots and the longest chain of conflicting transactions (no schedule finishes in fewer steps).
    /// </summary>
    private (int Touched, int TouchedRecords, int CriticalPath) Schedule(AccountStore store)
    {
        var touched = 0;
        var touchedRecords = 0;
        var criticalPath = 0;
        for (var j = 0; j < _count; j++)
        {
            var baseIndex = j * Slots;
            var depth = 0;
            for (var k = 0; k < _accountCount[j]; k++)
            {
                ref var slot = ref _slot[baseIndex + k];
                if (slot < 0)
                {
                    slot = store.GetOrAddSlot(_missing[(j * MaxAccounts) + k]);
                }

                if (_deltaAccount[j] == k && IsDelta(slot))
                {
                    _predecessor[baseIndex + k] = -1;
                    continue;
                }

                if (slot >= _lastTx.Length)
                {
                    GrowAccounts(store.Capacity);
                }

                var previous = _lastTx[slot];
                if (previous < 0)
                {
                    _touched[touched++] = slot;
                }

                _lastTx[slot] = j;
                _predecessor[baseIndex + k] = previous;
                depth = previous < 0 ? depth : Math.Max(depth, _depth[previous]);
            }

            ref var record = ref _slot[baseIndex + Record];
            if (record != -1)
            {
                if (record == -2)
                {
                    record = store.Jobs.GetOrAddSlot(_txs[j].Job);
                }

                if (record >= _lastRecordTx.Length)
                {
                    GrowRecords(store.Jobs.Capacity);
                }

                var previous = _lastRecordTx[record];
                if (previous < 0)
                {
                    _touchedRecords[touchedRecords++] = record;
                }

                _lastRecordTx[record] = j;
                _predecessor[baseIndex + Record] = previous;
                depth = previous < 0 ? depth : Math.Max(depth, _depth[previous]);
            }

            _depth[j] = depth + 1;
            criticalPath = Math.Max(criticalPath, depth + 1);
        }

        return (touched, touchedRecords, criticalPath);
    }

    /// <summary>
    /// Claims chunks in block order until none is left (a worker that starts late takes fewer), running each chunk's
    /// transactions in order; before one runs, every predecessor in an earlier chunk must be done.
    /// </summary>
    private void RunChunks(int worker)
    {
        var chunks = (_count + ChunkSize - 1) / ChunkSize;
        while (true)
        {
            var chunk = Interlocked.Increment(ref _nextChunk.Value) - 1;
            if (chunk >= chunks)
            {
                return;
            }

            var start = chunk * ChunkSize;
            var end = Math.Min(_count, start + ChunkSize);
            ref var done = ref _chunkDone[chunk * ChunkStride];
            for (var j = start; j < end; j++)
            {
                var baseIndex = j * Slots;
                for (var k = 0; k < _accountCount[j]; k++)
                {
                    WaitFor(_predecessor[baseIndex + k], start);
                }

                if (_slot[baseIndex + Record] >= 0)
                {
                    WaitFor(_predecessor[baseIndex + Record], start);
                }

                ExecuteOne(j, worker);
                Volatile.Write(ref done, j - start + 1);
            }

            ReceiptHashing.Leaves(_txs, _output!.Statuses, _context.Height, start, end, _output.ReceiptLeaves);
        }
    }

    /// <summary>Returns once transaction <paramref name="previous"/> is done: at once when none or in this chunk (run in order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WaitFor(int previous, int chunkStart)
    {
        if (previous < 0 || previous >= chunkStart)
        {
            return;
        }

        ref var done = ref _chunkDone[previous / ChunkSize * ChunkStride];
        var needed = (previous % ChunkSize) + 1;
        if (Volatile.Read(ref done) >= needed)
        {
            return;
        }

        var spinner = default(SpinWait);
        while (Volatile.Read(ref done) < needed)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ExecuteOne(int j, int worker)
    {
        ref readonly var tx = ref _txs[j];
        var status = _status[j];
        if (status == ReceiptStatus.Success)
        {
            var store = _store!;
            var baseIndex = j * Slots;
            var count = _accountCount[j];
            Span<AccountState> accounts = stackalloc AccountState[MaxAccounts];
            for (var k = 0; k < count; k++)
            {
                accounts[k] = store.StateAt(_slot[baseIndex + k]);
            }

            var delta = _deltaAccount[j];
            var hot = delta >= 0 ? HotIndex(_slot[baseIndex + delta]) : -1;
            if (hot >= 0)
            {
                accounts[delta].Balance = Sentinel;
            }

            var recordSlot = _slot[baseIndex + Record];
            var job = recordSlot >= 0 ? store.Jobs.StateAt(recordSlot) : default;
            status = NativePrograms.Execute(tx, _context, accounts[..count], ref job, out var mask);
            if ((mask & NativePrograms.RecordWritten) != 0)
            {
                store.Jobs.StateAt(recordSlot) = job;
                if (!_recordWritten[recordSlot])
                {
                    _recordWritten[recordSlot] = true;
                }
            }

            for (var k = 0; k < count; k++)
            {
                if ((mask & (1 << k)) == 0)
                {
                    continue;
                }

                if (k == delta && hot >= 0)
                {
                    _deltaSums[(worker * SumStride) + SumStride + hot] += accounts[k].Balance - Sentinel;
                    if (!_hotWritten[hot])
                    {
                        _hotWritten[hot] = true;
                    }

                    continue;
                }

                var slot = _slot[baseIndex + k];
                store.StateAt(slot) = accounts[k];
                if (!_written[slot])
                {
                    // Read first: once set, the flag's cache line stays shared between the workers instead of bouncing.
                    _written[slot] = true;
                }
            }
        }

        _output!.Statuses[j] = status;
    }

    /// <summary>Marks what was written dirty (as the sequential executor does), forgets the block's schedule and frees vacant records.</summary>
    private void Finish(AccountStore store, int touched, int touchedRecords)
    {
        for (var i = 0; i < touched; i++)
        {
            var slot = _touched[i];
            _lastTx[slot] = -1;
            if (_written[slot])
            {
                _written[slot] = false;
                store.MarkDirty(slot);
            }
        }

        for (var i = 0; i < touchedRecords; i++)
        {
            var slot = _touchedRecords[i];
            _lastRecordTx[slot] = -1;
            if (_recordWritten[slot])
            {
                _recordWritten[slot] = false;
                store.Jobs.MarkDirty(slot);
            }
        }

        for (var h = 0; h < HotAccounts; h++)
        {
            if (!_hotDelta[h])
            {
                continue;
            }

            long total = 0;
            for (var w = 0; w < Workers; w++)
            {
                total += _deltaSums[(w * SumStride) + SumStride + h];
            }

            store.StateAt(_hotSlot[h]).Balance += total;
            if (_hotWritten[h])
            {
                store.MarkDirty(_hotSlot[h]);
            }
        }

        store.Jobs.ReleaseVacantSlots();
    }

    private void PrepareHotAccounts(AccountStore store)
    {
        Array.Clear(_deltaSums);
        for (var h = 0; h < HotAccounts; h++)
        {
            _hotSlot[h] = store.TryGetSlot(Hot[h], out var slot) ? slot : -1;
            _hotPlain[h] = false;
            _hotDelta[h] = false;
            _hotWritten[h] = false;
            _hotCredits[h] = 0;
            _hotDebits[h] = 0;
        }
    }

    /// <summary>
    /// A hot account runs as deltas when it exists, the block uses it only commutatively, and neither the real balance nor
    /// the sentinel can leave [0, long.MaxValue] after any prefix of the block (so every check passes in both, as it must).
    /// </summary>
    private void DecideHotAccounts(AccountStore store)
    {
        for (var h = 0; h < HotAccounts; h++)
        {
            if (_hotSlot[h] < 0 || _hotPlain[h])
            {
                continue;
            }

            var balance = store.StateAt(_hotSlot[h]).Balance;
            _hotDelta[h] = _hotDebits[h] <= balance && _hotDebits[h] <= Sentinel &&
                balance + _hotCredits[h] <= long.MaxValue && Sentinel + _hotCredits[h] <= long.MaxValue;
        }
    }

    /// <summary>What a transaction does to hot account <paramref name="h"/> at its declared position <paramref name="k"/> when that is commutative (a credit &gt; 0, a debit &lt; 0); 0 for any other use.</summary>
    private static long DeltaChange(in Transaction tx, int k, int h) => (tx.Program, k, h) switch
    {
        (ProgramKind.EscrowRelease, 2, 0) => Math.Max(1, tx.Fee),
        (ProgramKind.JobSettle, 1, 0) => Math.Max(1, tx.Fee),
        (ProgramKind.Slash, 1, 0) => tx.Amount,
        (ProgramKind.RewardCredit, 0, 1) => -tx.Amount,
        (ProgramKind.Deposit, 0, 1) => tx.Amount,
        _ => 0,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsDelta(int slot) => HotIndex(slot) >= 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int HotIndex(int slot) =>
        slot == _hotSlot[0] && _hotDelta[0] ? 0 : slot == _hotSlot[1] && _hotDelta[1] ? 1 : -1;

    private void GrowAccounts(int capacity)
    {
        var size = Math.Max(capacity, _lastTx.Length * 2);
        var old = _lastTx.Length;
        Array.Resize(ref _lastTx, size);
        Array.Resize(ref _written, size);
        _lastTx.AsSpan(old).Fill(-1);
    }

    private void GrowRecords(int capacity)
    {
        var size = Math.Max(capacity, _lastRecordTx.Length * 2);
        var old = _lastRecordTx.Length;
        Array.Resize(ref _lastRecordTx, size);
        Array.Resize(ref _recordWritten, size);
        _lastRecordTx.AsSpan(old).Fill(-1);
    }

    /// <summary>A counter on a cache line of its own.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedCounter
    {
        [FieldOffset(64)]
        public int Value;
    }
}
