using System.Runtime.InteropServices;
using Depin.Ledger.Commitment;
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

    private bool _resolvedAhead;

    private readonly BlockSlots _slots = new();
    private Transaction[] _txs = [];
    private int _count;
    private long _height;
    private long _timestampMs;
    private AccountStore? _store;
    private BlockOutput? _output;

    public PipelinedExecutor(ExecutionSettings settings, int workers)
    {
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
            _txs = new Transaction[Math.Max(n, _txs.Length * 2)];
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
                _slots.EnsureCapacity(n);
                _workers.For(n, (from, to) => _slots.Resolve(store, _txs.AsSpan(0, n), output.Statuses, from, to));
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
        if (worker == 0)
        {
            _sequential.ExecuteStates(_store!, _txs.AsSpan(0, _count), _height, _timestampMs, _output!.Statuses, ref _progress.Value, ChunkSize, _resolvedAhead ? _slots : null);
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

    /// <summary>A counter on a cache line of its own.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedInt
    {
        [FieldOffset(64)]
        public int Value;
    }
}
