using System.Runtime.InteropServices;
using Depin.Ledger.Commitment;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Execution;

/// <summary>
/// Splits a block by stage instead of by transaction: worker 0 runs every state transition in block order, as the
/// sequential executor does (new accounts and records added in first-appearance order; account states never move between
/// cores' caches), while the other workers hash the receipt leaves behind it, and worker 0 joins the hashing when its pass
/// is done. When the helpers catch up with the state pass (it is the slower stage, as on the marketplace mix), they look
/// up the slots of chunks a little ahead of it instead (shape checks and index probes; the index takes lookups while
/// worker 0 adds, <see cref="SlotIndex{TKey}"/>), which takes that work off its path; a chunk nobody looked up, worker 0
/// looks up itself. On a store larger than the caches every worker first looks up a share of the whole block, and the
/// state pass prefetches the states a few transactions ahead. Produces exactly the sequential executor's receipts and state.
/// </summary>
public sealed class PipelinedExecutor : IParallelBlockExecutor
{
    /// <summary>Transactions per chunk (of lookups ahead, of the state pass's progress, of hashing).</summary>
    public const int ChunkSize = BlockOutput.ChunkLeaves;

    private const int Open = 0;
    private const int Resolving = 1;
    private const int Resolved = 2;
    private const int TakenUnresolved = 3;

    /// <summary>
    /// From this many accounts on, every worker first looks up a share of the whole block (the index no longer fits in a
    /// core's cache: lookups are memory-bound, and a loop of independent lookups overlaps their misses, 2.8× at 1,000,000
    /// accounts); below it, helpers look up only what the state pass would otherwise wait for.
    /// </summary>
    public const int ResolveAllAheadAccounts = 32_768;

    /// <summary>How many chunks ahead of the state pass a helper looks up, so the pass rarely waits for a lookup in flight.</summary>
    private const int ResolveLead = 2;

    private readonly SequentialExecutor _sequential;
    private readonly WorkerGroup _workers;
    private PaddedInt _progress;
    private PaddedInt _nextResolve;
    private PaddedInt _nextHash;
    private int[] _chunkStates = [];
    private bool _allResolved;
    private int _lookedUpAhead;

    private readonly BlockSlots _slots = new();
    private ReadOnlyMemory<Transaction> _block;
    private int _count;
    private int _chunks;
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

    public WorkerGroup? Helpers => _workers;

    /// <summary>
    /// For tests, to exercise lookups racing adds on every block: every helper takes part, looks up every chunk it can
    /// ahead of the state pass before hashing, and the state pass starts once a helper has looked up a chunk.
    /// </summary>
    internal bool LookAheadFirst { get; init; }

    /// <summary>Chunks of the last block whose slots a helper looked up while the state pass ran.</summary>
    internal int LastBlockChunksLookedUpAhead => _lookedUpAhead;

    public void Execute(AccountStore store, ReadOnlyMemory<Transaction> block, long height, long timestampMs, BlockOutput output)
    {
        if (Workers == 1)
        {
            _sequential.Execute(store, block, height, timestampMs, output);
            return;
        }

        var n = block.Length;
        output.Reset(n);
        _block = block;
        _chunks = (n + ChunkSize - 1) / ChunkSize;
        if (_chunkStates.Length < _chunks)
        {
            _chunkStates = new int[Math.Max(_chunks, _chunkStates.Length * 2)];
        }

        _slots.EnsureCapacity(n);

        (_count, _height, _timestampMs, _store, _output) = (n, height, timestampMs, store, output);
        if (store.Count >= ResolveAllAheadAccounts)
        {
            _workers.For(n, (from, to) => _slots.Resolve(store, block.Span, output.Statuses, from, to));
            _chunkStates.AsSpan(0, _chunks).Fill(Resolved);
            _allResolved = true;
        }
        else
        {
            Array.Clear(_chunkStates, 0, _chunks);
            _allResolved = false;
        }

        _progress.Value = 0;
        _nextResolve.Value = 0;
        _nextHash.Value = 0;
        _lookedUpAhead = 0;
        try
        {
            if (LookAheadFirst)
            {
                _workers.Run(RunStage);
            }
            else
            {
                _workers.RunWithOptionalHelpers(RunStage);
            }
        }
        finally
        {
            _store = null;
            _output = null;
            _block = default;
        }
    }

    public void Dispose() => _workers.Dispose();

    private void RunStage(int worker)
    {
        if (worker == 0)
        {
            RunStates();
        }
        else
        {
            HashOrResolveAhead();
        }

        HashReceipts();
    }

    private void RunStates()
    {
        var store = _store!;
        var txs = _block.Span;
        var statuses = _output!.Statuses;
        if (LookAheadFirst && !_allResolved && _chunks > ResolveLead)
        {
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _lookedUpAhead) == 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }

        for (var chunk = 0; chunk < _chunks; chunk++)
        {
            var state = Interlocked.CompareExchange(ref _chunkStates[chunk], TakenUnresolved, Open);
            if (state == Resolving)
            {
                var spinner = default(SpinWait);
                while (Volatile.Read(ref _chunkStates[chunk]) != Resolved)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
            }

            var to = Math.Min(_count, (chunk + 1) * ChunkSize);
            _sequential.ExecuteStates(store, txs, chunk * ChunkSize, to, _height, _timestampMs, statuses, state == Open ? null : _slots, state == Open ? 0 : _allResolved ? _count : to);
            Volatile.Write(ref _progress.Value, to);
        }

        // Every chunk is now worker 0's or resolved, so nobody looks up any more: the index may lose keys.
        store.Jobs.ReleaseVacantSlots();
    }

    /// <summary>
    /// While the state pass runs: hash the chunks it has finished; when none is ready (the state pass is the slower stage),
    /// look up the slots of a chunk a little ahead of it instead, which takes that work off its path.
    /// </summary>
    private void HashOrResolveAhead()
    {
        var spinner = default(SpinWait);
        while (true)
        {
            var progress = Volatile.Read(ref _progress.Value);
            if (progress >= _count)
            {
                return;
            }

            if ((LookAheadFirst && TryResolveAhead(progress)) || TryHashFinished(progress) || TryResolveAhead(progress))
            {
                continue;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private bool TryHashFinished(int progress)
    {
        var next = Volatile.Read(ref _nextHash.Value);
        var end = Math.Min(_count, (next + 1) * ChunkSize);
        if (end > progress)
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref _nextHash.Value, next + 1, next) == next)
        {
            _output!.HashReceiptLeaves(_block.Span, _height, next * ChunkSize, end);
        }

        return true;
    }

    private bool TryResolveAhead(int progress)
    {
        var ahead = Math.Max(Volatile.Read(ref _nextResolve.Value), (progress / ChunkSize) + ResolveLead);
        if (ahead >= _chunks)
        {
            return false;
        }

        // The cursor is a hint; the chunk's own state decides who takes it.
        Volatile.Write(ref _nextResolve.Value, ahead + 1);
        if (Interlocked.CompareExchange(ref _chunkStates[ahead], Resolving, Open) == Open)
        {
            _slots.Resolve(_store!, _block.Span, _output!.Statuses, ahead * ChunkSize, Math.Min(_count, (ahead + 1) * ChunkSize));
            Volatile.Write(ref _chunkStates[ahead], Resolved);
            Interlocked.Increment(ref _lookedUpAhead);
        }

        return true;
    }

    private void HashReceipts()
    {
        while (true)
        {
            var chunk = Interlocked.Increment(ref _nextHash.Value) - 1;
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

            _output!.HashReceiptLeaves(_block.Span, _height, start, end);
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
