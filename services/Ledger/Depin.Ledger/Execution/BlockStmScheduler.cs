using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Depin.Ledger.Execution;

/// <summary>
/// The Block-STM collaborative scheduler (Gelashvili et al., 2022): execution and validation tasks are handed
/// out in transaction order from two shared indices that are lowered when a re-execution or re-validation is needed;
/// a transaction that reads an estimate waits on its blocker through a dependency list.
/// </summary>
internal sealed class BlockStmScheduler
{
    public const int ReadyToExecute = 0;
    public const int Executing = 1;
    public const int Executed = 2;
    public const int Aborting = 3;

    private int[] _status = [];
    private int[] _locks = [];
    private List<int>?[] _dependents = [];
    private Counters _counters;
    private int _size;

    public bool Done => Volatile.Read(ref _counters.Done) != 0;

    /// <summary>One task handed to a worker.</summary>
    public readonly record struct WorkItem(TaskKind Kind, int Tx, int Incarnation)
    {
        public static WorkItem None => default;
    }

    public enum TaskKind
    {
        None,
        Execute,
        Validate,
    }

    [StructLayout(LayoutKind.Explicit, Size = 384)]
    private struct Counters
    {
        [FieldOffset(64)]
        public int ExecutionIndex;

        [FieldOffset(128)]
        public int ValidationIndex;

        [FieldOffset(192)]
        public int DecreaseCount;

        [FieldOffset(256)]
        public int ActiveTasks;

        [FieldOffset(320)]
        public int Done;
    }

    public void Reset(int size)
    {
        if (_status.Length < size)
        {
            var capacity = Math.Max(size, _status.Length * 2);
            _status = new int[capacity];
            _locks = new int[capacity];
            _dependents = new List<int>?[capacity];
        }
        else
        {
            Array.Clear(_status, 0, size);
        }

        _size = size;
        _counters = default;
        if (size == 0)
        {
            _counters.Done = 1;
        }
    }

    /// <summary>
    /// The next task. Indices are claimed from the shared execution / validation index in runs of
    /// <see cref="ClaimSize"/> and handed out one by one from <paramref name="claim"/>: fewer atomic operations on the
    /// shared counters, and neighbouring transactions stay on one core (no false sharing of their per-transaction
    /// words). A claimed index behaves exactly like a fetched one in the paper that its thread gets to a little later.
    /// </summary>
    public WorkItem NextTask(ref Claim claim)
    {
        while (true)
        {
            while (claim.Next < claim.End)
            {
                var index = claim.Next++;
                var version = claim.Kind == TaskKind.Execute ? TryIncarnate(index) : ValidationVersion(index);
                if (version.Kind != TaskKind.None)
                {
                    return version;
                }

                claim.Finished++;
            }

            // Finished tasks are counted off the shared active-task count in one go, only when this thread runs out of
            // claimed work: the count then stays at or above the true one (so "done" is never declared early) while the
            // hot counter is touched once per claim instead of once per task.
            if (claim.Finished > 0)
            {
                Interlocked.Add(ref _counters.ActiveTasks, -claim.Finished);
                claim.Finished = 0;
            }

            var validate = Volatile.Read(ref _counters.ValidationIndex) < Volatile.Read(ref _counters.ExecutionIndex);
            ref var shared = ref validate ? ref _counters.ValidationIndex : ref _counters.ExecutionIndex;
            if (Volatile.Read(ref shared) >= _size)
            {
                CheckDone();
                return WorkItem.None;
            }

            Interlocked.Add(ref _counters.ActiveTasks, ClaimSize);
            var start = Interlocked.Add(ref shared, ClaimSize) - ClaimSize;
            claim = new Claim(validate ? TaskKind.Validate : TaskKind.Execute, start, start + ClaimSize);
        }
    }

    /// <summary>Indices this thread has claimed but not yet turned into tasks.</summary>
    public struct Claim(TaskKind kind, int next, int end)
    {
        public TaskKind Kind = kind;
        public int Next = next;
        public int End = end;

        /// <summary>Tasks this thread finished whose active-task slot it has not yet given back.</summary>
        public int Finished;
    }

    /// <summary>How many consecutive indices a thread claims at once.</summary>
    public const int ClaimSize = 16;

    /// <summary>Registers <paramref name="tx"/> as waiting for <paramref name="blocking"/>; false when the blocker already finished (retry at once).</summary>
    public bool AddDependency(int tx, int blocking, ref Claim claim)
    {
        Lock(blocking);
        try
        {
            if ((_status[blocking] & 3) == Executed)
            {
                return false;
            }

            Lock(tx);
            _status[tx] = (_status[tx] & ~3) | Aborting;
            Unlock(tx);
            (_dependents[blocking] ??= new List<int>(4)).Add(tx);
        }
        finally
        {
            Unlock(blocking);
        }

        claim.Finished++;
        return true;
    }

    public WorkItem FinishExecution(int tx, int incarnation, bool wroteNewLocation, ref Claim claim)
    {
        List<int>? dependents;
        Lock(tx);
        _status[tx] = (incarnation << 2) | Executed;
        dependents = _dependents[tx];
        _dependents[tx] = null;
        Unlock(tx);

        if (dependents is { Count: > 0 })
        {
            var min = int.MaxValue;
            foreach (var dependent in dependents)
            {
                SetReady(dependent);
                min = Math.Min(min, dependent);
            }

            DecreaseExecutionIndex(min);
        }

        if (Volatile.Read(ref _counters.ValidationIndex) > tx)
        {
            if (!wroteNewLocation)
            {
                return new WorkItem(TaskKind.Validate, tx, incarnation);
            }

            DecreaseValidationIndex(tx);
        }

        claim.Finished++;
        return WorkItem.None;
    }

    public bool TryValidationAbort(int tx, int incarnation)
    {
        Lock(tx);
        try
        {
            if (_status[tx] == ((incarnation << 2) | Executed))
            {
                _status[tx] = (incarnation << 2) | Aborting;
                return true;
            }

            return false;
        }
        finally
        {
            Unlock(tx);
        }
    }

    public WorkItem FinishValidation(int tx, bool aborted, ref Claim claim)
    {
        if (aborted)
        {
            SetReady(tx);
            DecreaseValidationIndex(tx + 1);
            if (Volatile.Read(ref _counters.ExecutionIndex) > tx)
            {
                var version = TryIncarnate(tx);
                if (version.Kind != TaskKind.None)
                {
                    return version;
                }
            }
        }

        claim.Finished++;
        return WorkItem.None;
    }

    private WorkItem ValidationVersion(int index)
    {
        if (index < _size)
        {
            var status = Volatile.Read(ref _status[index]);
            if ((status & 3) == Executed)
            {
                return new WorkItem(TaskKind.Validate, index, status >> 2);
            }
        }

        return WorkItem.None;
    }

    /// <summary>Claims a ready transaction for execution. Unlike the paper's pseudo-code it leaves the active-task count to the caller, so a failed claim inside <see cref="FinishValidation"/> is not counted twice.</summary>
    private WorkItem TryIncarnate(int tx)
    {
        if (tx < _size)
        {
            Lock(tx);
            var status = _status[tx];
            if ((status & 3) == ReadyToExecute)
            {
                _status[tx] = (status & ~3) | Executing;
                Unlock(tx);
                return new WorkItem(TaskKind.Execute, tx, status >> 2);
            }

            Unlock(tx);
        }

        return WorkItem.None;
    }

    private void SetReady(int tx)
    {
        Lock(tx);
        var incarnation = _status[tx] >> 2;
        _status[tx] = ((incarnation + 1) << 2) | ReadyToExecute;
        Unlock(tx);
    }

    private void CheckDone()
    {
        var observed = Volatile.Read(ref _counters.DecreaseCount);
        if (Math.Min(Volatile.Read(ref _counters.ExecutionIndex), Volatile.Read(ref _counters.ValidationIndex)) >= _size &&
            Volatile.Read(ref _counters.ActiveTasks) == 0 &&
            observed == Volatile.Read(ref _counters.DecreaseCount))
        {
            Volatile.Write(ref _counters.Done, 1);
        }
    }

    private void DecreaseExecutionIndex(int target)
    {
        InterlockedMin(ref _counters.ExecutionIndex, target);
        Interlocked.Increment(ref _counters.DecreaseCount);
    }

    private void DecreaseValidationIndex(int target)
    {
        InterlockedMin(ref _counters.ValidationIndex, target);
        Interlocked.Increment(ref _counters.DecreaseCount);
    }

    private static void InterlockedMin(ref int location, int value)
    {
        var current = Volatile.Read(ref location);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Lock(int tx)
    {
        if (Interlocked.CompareExchange(ref _locks[tx], 1, 0) != 0)
        {
            LockSlow(tx);
        }
    }

    private void LockSlow(int tx)
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _locks[tx]) != 0 || Interlocked.CompareExchange(ref _locks[tx], 1, 0) != 0)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>
    /// A full fence, not just a release: the paper assumes sequentially consistent atomics, and e.g.
    /// <see cref="FinishExecution"/> must publish "executed" before it reads the validation index
    /// (otherwise a concurrent validator can skip the transaction while this thread misses the skip).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Unlock(int tx) => Interlocked.Exchange(ref _locks[tx], 0);
}
