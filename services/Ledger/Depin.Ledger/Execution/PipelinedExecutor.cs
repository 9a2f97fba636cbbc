using System.Runtime.InteropServices;
using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Programs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Execution;

/// <summary>
/// Splits a block by stage instead of by transaction: worker 0 runs every state transition in block order, as the
/// sequential executor does (new accounts and records added in first-appearance order; accounts never move between cores'
/// caches), while the other workers hash the receipt leaves chunk by chunk just behind it, and worker 0 joins them when its
/// pass is done. On a large store every worker first resolves a share of the block's accounts and records to their slots
/// (lookups only: nothing is added while they read), so the state pass reads them resolved. Lookups and hashing are most
/// of a transfer, so two workers approach twice the sequential speed. Produces exactly the sequential executor's receipts
/// and state.
/// </summary>
public sealed class PipelinedExecutor : IParallelBlockExecutor
{
    /// <summary>Transactions per hashing chunk (and per progress update of the state pass).</summary>
    public const int ChunkSize = 64;

    private readonly SequentialExecutor _sequential;
    private readonly WorkerGroup _workers;
    private PaddedInt _progress;
    private PaddedInt _nextChunk;
    /// <summary>
    /// From this many accounts on, every worker resolves slots before the state pass (the index no longer fits in a
    /// core's cache, so lookups are memory-bound and parallelise well: 2.8× at 1,000,000 accounts); below it, the state
    /// pass looks up as it goes, which saves a round of waking the workers (measured faster below this size).
    /// </summary>
    public const int ResolveAheadAccounts = 32_768;

    private const int MaxAccounts = 4;

    private bool _resolvedAhead;

    private readonly ExecutionSettings _settings;
    private Transaction[] _txs = [];
    private byte[] _accountCount = [];
    private int[] _slot = [];
    private AccountId[] _missing = [];
    private int[] _recordSlot = [];
    private int _count;
    private long _height;
    private long _timestampMs;
    private AccountStore? _store;
    private BlockOutput? _output;

    public PipelinedExecutor(ExecutionSettings settings, int workers)
    {
        _settings = settings;
        _sequential = new SequentialExecutor(settings);
        _workers = new WorkerGroup(workers);
    }

    public int Workers => _workers.Workers;

    public void Execute(AccountStore store, ReadOnlyMemory<Transaction> block, long height, long timestampMs, BlockOutput output)
    {
        if (Workers == 1)
        {
            _sequential.Execute(store, block, height, timestampMs, output);
            return;
        }

        var n = block.Length;
        output.Reset(n);
        if (_txs.Length < n)
        {
            var capacity = Math.Max(n, _txs.Length * 2);
            _txs = new Transaction[capacity];
            _accountCount = new byte[capacity];
            _slot = new int[capacity * MaxAccounts];
            _missing = new AccountId[capacity * MaxAccounts];
            _recordSlot = new int[capacity];
        }

        block.Span.CopyTo(_txs);
        (_count, _height, _timestampMs, _store, _output) = (n, height, timestampMs, store, output);
        _progress.Value = 0;
        _nextChunk.Value = 0;
        _resolvedAhead = store.Count >= ResolveAheadAccounts;
        try
        {
            if (_resolvedAhead)
            {
                _workers.For(n, (from, to) => Resolve(store, output.Statuses, from, to));
            }

            _workers.Run(RunStage);
        }
        finally
        {
            _store = null;
            _output = null;
        }
    }

    public void Dispose() => _workers.Dispose();

    private void RunStage(int worker)
    {
        if (worker == 0 && _resolvedAhead)
        {
            ExecuteResolvedStates(_store!, _output!.Statuses);
        }
        else if (worker == 0)
        {
            _sequential.ExecuteStates(_store!, _txs.AsSpan(0, _count), _height, _timestampMs, _output!.Statuses, ref _progress.Value, ChunkSize);
        }

        var output = _output!;
        while (true)
        {
            var chunk = Interlocked.Increment(ref _nextChunk.Value) - 1;
            var start = chunk * ChunkSize;
            if (start >= _count)
            {
                return;
            }

            var end = Math.Min(_count, start + ChunkSize);
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _progress.Value) < end)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            for (var j = start; j < end; j++)
            {
                output.ReceiptLeaves[j] = ReceiptHashing.Leaf(_txs[j], output.Statuses[j], _height, j);
            }
        }
    }

    /// <summary>Shape checks (their status, for now) and the slots of accounts and records that exist already: lookups only.</summary>
    private void Resolve(AccountStore store, ReceiptStatus[] statuses, int from, int to)
    {
        Span<AccountId> ids = stackalloc AccountId[MaxAccounts];
        for (var j = from; j < to; j++)
        {
            ref readonly var tx = ref _txs[j];
            var shape = NativePrograms.CheckShape(tx);
            statuses[j] = shape;
            if (shape != ReceiptStatus.Success)
            {
                _accountCount[j] = 0;
                _recordSlot[j] = -1;
                continue;
            }

            var count = tx.DeclaredAccounts(ids);
            _accountCount[j] = (byte)count;
            for (var k = 0; k < count; k++)
            {
                var at = (j * MaxAccounts) + k;
                if (!store.TryGetSlot(ids[k], out _slot[at]))
                {
                    _slot[at] = -1;
                    _missing[at] = ids[k];
                }
            }

            // -2: a record that does not exist yet, added in block order by the state pass.
            _recordSlot[j] = !tx.HasJobRecord ? -1 : store.Jobs.TryGetSlot(tx.Job, out var slot) ? slot : -2;
        }
    }

    /// <summary>The state transitions in block order on slots resolved ahead, as the sequential executor runs them, publishing progress every chunk.</summary>
    private void ExecuteResolvedStates(AccountStore store, ReceiptStatus[] statuses)
    {
        var context = new BlockContext(_height, _timestampMs, _settings.UnbondingDelayMs);
        Span<AccountState> accounts = stackalloc AccountState[MaxAccounts];
        Span<int> slots = stackalloc int[MaxAccounts];
        for (var j = 0; j < _count; j++)
        {
            if (statuses[j] == ReceiptStatus.Success)
            {
                ref readonly var tx = ref _txs[j];
                var count = _accountCount[j];
                for (var k = 0; k < count; k++)
                {
                    var at = (j * MaxAccounts) + k;
                    var slot = _slot[at] >= 0 ? _slot[at] : store.GetOrAddSlot(_missing[at]);
                    slots[k] = slot;
                    accounts[k] = store.StateAt(slot);
                }

                var recordSlot = _recordSlot[j] == -2 ? store.Jobs.GetOrAddSlot(tx.Job) : _recordSlot[j];
                var job = recordSlot >= 0 ? store.Jobs.StateAt(recordSlot) : default;
                statuses[j] = NativePrograms.Execute(tx, context, accounts[..count], ref job, out var mask);
                if ((mask & NativePrograms.RecordWritten) != 0)
                {
                    store.Jobs.StateAt(recordSlot) = job;
                    store.Jobs.MarkDirty(recordSlot);
                }

                for (var k = 0; k < count; k++)
                {
                    if ((mask & (1 << k)) != 0)
                    {
                        store.StateAt(slots[k]) = accounts[k];
                        store.MarkDirty(slots[k]);
                    }
                }
            }

            if ((j + 1) % ChunkSize == 0)
            {
                Volatile.Write(ref _progress.Value, j + 1);
            }
        }

        store.Jobs.ReleaseVacantSlots();
        Volatile.Write(ref _progress.Value, _count);
    }

    /// <summary>A counter on a cache line of its own.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedInt
    {
        [FieldOffset(64)]
        public int Value;
    }
}
