using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Depin.Ledger.Execution;

/// <summary>
/// Committed values addressed by dense slots in order of first appearance (deterministic for a given sequence of
/// blocks), with the set of slots changed since the last commitment. A store whose values can become vacant
/// (<see cref="IsVacant"/>) gives their slots back at the end of each block (<see cref="ReleaseVacantSlots"/>), and new
/// keys take the lowest free slot first, so that every executor, and a replay from a snapshot, lays out the same slots.
/// Single writer; lookups (<see cref="TryGetSlot"/>) from other threads may run while it adds.
/// </summary>
public class SlotStore<TKey, TValue>
    where TKey : struct, IEquatable<TKey>
    where TValue : struct
{
    private readonly SlotIndex<TKey> _index;
    private readonly PriorityQueue<int, int> _free = new();
    private readonly List<int> _added = [];
    private bool[] _vacant;
    private TValue[] _states;
    private bool[] _dirty;
    private int[] _dirtyList;
    private int _dirtyCount;

    public SlotStore(int capacity = 1024)
    {
        capacity = Math.Max(capacity, 16);
        _index = new SlotIndex<TKey>(capacity);
        _states = new TValue[capacity];
        _dirty = new bool[capacity];
        _dirtyList = new int[capacity];
        _vacant = new bool[capacity];
    }

    /// <summary>Slots in use or freed (the high-water mark); slots at or above it were never used.</summary>
    public int Count { get; private set; }

    /// <summary>Slots that hold a key.</summary>
    public int Live => Count - _free.Count;

    public int Capacity => _states.Length;

    /// <summary>
    /// Safe to call from many threads while the single writer adds (not while it frees slots): a key added meanwhile may
    /// be reported absent, never at another slot.
    /// </summary>
    public bool TryGetSlot(TKey id, out int slot) => _index.TryGet(id, out slot);

    /// <summary>Starts loading the index entry of <paramref name="id"/> ahead of a lookup (a hint; safe where <see cref="TryGetSlot"/> is).</summary>
    public void PrefetchSlot(TKey id) => _index.Prefetch(id);

    /// <summary>Starts loading the value at <paramref name="slot"/> and its dirty flag ahead of a state transition (a hint).</summary>
    public unsafe void PrefetchState(int slot)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _states[slot]));
            Sse.Prefetch0(Unsafe.AsPointer(ref _dirty[slot]));
        }
    }

    public int GetOrAddSlot(TKey id)
    {
        if (_index.TryGet(id, out var slot))
        {
            return slot;
        }

        if (_free.TryDequeue(out slot, out _))
        {
            _vacant[slot] = false;
        }
        else
        {
            slot = Count;
            if (slot == _states.Length)
            {
                Grow();
            }

            Count = slot + 1;
        }

        _index.Add(id, slot);
        if (TracksVacancy)
        {
            _added.Add(slot);
        }

        return slot;
    }

    /// <summary>Whether this store frees the slots of vacant values.</summary>
    protected virtual bool TracksVacancy => false;

    /// <summary>A value that no longer needs its slot (the empty record of a pruned job).</summary>
    protected virtual bool IsVacant(in TValue value) => false;

    /// <summary>
    /// Frees the slots added or changed since the last call whose value is vacant: their key is forgotten and the next new
    /// key may take the slot. Executors call it at the end of every block. A freed slot stays in the dirty set, so its
    /// leaf becomes the empty leaf.
    /// </summary>
    public void ReleaseVacantSlots()
    {
        if (!TracksVacancy)
        {
            return;
        }

        foreach (var slot in _added)
        {
            Release(slot);
        }

        _added.Clear();
        for (var i = 0; i < _dirtyCount; i++)
        {
            Release(_dirtyList[i]);
        }
    }

    private void Release(int slot)
    {
        if (_vacant[slot] || !IsVacant(_states[slot]))
        {
            return;
        }

        _index.Remove(_index.KeyAt(slot));
        _states[slot] = default;
        _vacant[slot] = true;
        _free.Enqueue(slot, slot);
    }

    public ref TValue StateAt(int slot) => ref _states[slot];

    public TKey IdAt(int slot) => _index.KeyAt(slot);

    public TValue Get(TKey id) => _index.TryGet(id, out var slot) ? _states[slot] : default;

    public bool TryGet(TKey id, out TValue state, out int slot)
    {
        if (_index.TryGet(id, out slot))
        {
            state = _states[slot];
            return true;
        }

        state = default;
        return false;
    }

    public void MarkDirty(int slot)
    {
        if (!_dirty[slot])
        {
            _dirty[slot] = true;
            _dirtyList[_dirtyCount++] = slot;
        }
    }

    /// <summary>
    /// The slots changed since the last call, sorted; clears the set. Where the changed slots are not too sparse it reads
    /// them in order off the flags (a vectorised scan, 1,000,000 slots in tens of microseconds) instead of sorting the list
    /// (20,000 slots took ~1 ms, serial, in every block's commit).
    /// </summary>
    public int[] TakeDirty()
    {
        var result = new int[_dirtyCount];
        if ((long)Count <= (long)_dirtyCount * ScanDensity)
        {
            var flags = _dirty.AsSpan(0, Count);
            var offset = 0;
            for (var n = 0; n < result.Length; n++)
            {
                var slot = offset + flags[offset..].IndexOf(true);
                result[n] = slot;
                flags[slot] = false;
                offset = slot + 1;
            }
        }
        else
        {
            _dirtyList.AsSpan(0, _dirtyCount).CopyTo(result);
            foreach (var slot in result)
            {
                _dirty[slot] = false;
            }

            Array.Sort(result);
        }

        _dirtyCount = 0;
        return result;
    }

    /// <summary>Slots per changed slot up to which <see cref="TakeDirty"/> scans the flags rather than sorting.</summary>
    private const int ScanDensity = 256;

    /// <summary>Copies the slot table (for a snapshot); call while no block is executing.</summary>
    public (TKey[] Ids, TValue[] States) Export() => (_index.Keys(Count).ToArray(), _states.AsSpan(0, Count).ToArray());

    /// <summary>Loads a slot table into an empty store; vacant slots become free again.</summary>
    public void Import(ReadOnlySpan<TKey> ids, ReadOnlySpan<TValue> states)
    {
        if (Count != 0)
        {
            throw new InvalidOperationException("Import needs an empty store.");
        }

        if (_states.Length < ids.Length)
        {
            Resize((int)Math.Min(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)ids.Length), Array.MaxLength));
        }

        _index.EnsureCapacity(ids.Length);

        for (var slot = 0; slot < ids.Length; slot++)
        {
            if (TracksVacancy && IsVacant(states[slot]))
            {
                _vacant[slot] = true;
                _free.Enqueue(slot, slot);
                continue;
            }

            _states[slot] = states[slot];
            _index.Add(ids[slot], slot);
        }

        Count = ids.Length;
    }

    /// <summary>Copies every slot, and which are free, into <paramref name="copy"/>, an empty store.</summary>
    protected void CopyTo(SlotStore<TKey, TValue> copy)
    {
        var (ids, states) = Export();
        copy.Import(ids, states);
    }

    private void Grow() => Resize(_states.Length * 2);

    private void Resize(int capacity)
    {
        Array.Resize(ref _states, capacity);
        Array.Resize(ref _dirty, capacity);
        Array.Resize(ref _dirtyList, capacity);
        Array.Resize(ref _vacant, capacity);
    }
}
