namespace Depin.Ledger.Execution;

/// <summary>
/// Committed values addressed by dense slots in order of first appearance (deterministic for a given sequence of
/// blocks), with the set of slots changed since the last commitment. Single writer.
/// </summary>
public class SlotStore<TKey, TValue>
    where TKey : struct, IEquatable<TKey>
    where TValue : struct
{
    private readonly Dictionary<TKey, int> _index;
    private TKey[] _ids;
    private TValue[] _states;
    private bool[] _dirty;
    private int[] _dirtyList;
    private int _dirtyCount;

    public SlotStore(int capacity = 1024)
    {
        capacity = Math.Max(capacity, 16);
        _index = new Dictionary<TKey, int>(capacity);
        _ids = new TKey[capacity];
        _states = new TValue[capacity];
        _dirty = new bool[capacity];
        _dirtyList = new int[capacity];
    }

    public int Count { get; private set; }

    public int Capacity => _ids.Length;

    /// <summary>Safe to call from many threads while no slot is being added.</summary>
    public bool TryGetSlot(TKey id, out int slot) => _index.TryGetValue(id, out slot);

    public int GetOrAddSlot(TKey id)
    {
        if (_index.TryGetValue(id, out var slot))
        {
            return slot;
        }

        slot = Count;
        if (slot == _ids.Length)
        {
            Grow();
        }

        _ids[slot] = id;
        _index.Add(id, slot);
        Count = slot + 1;
        return slot;
    }

    public ref TValue StateAt(int slot) => ref _states[slot];

    public TKey IdAt(int slot) => _ids[slot];

    public TValue Get(TKey id) => _index.TryGetValue(id, out var slot) ? _states[slot] : default;

    public bool TryGet(TKey id, out TValue state, out int slot)
    {
        if (_index.TryGetValue(id, out slot))
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

    /// <summary>The slots changed since the last call, sorted; clears the set.</summary>
    public int[] TakeDirty()
    {
        var result = _dirtyList.AsSpan(0, _dirtyCount).ToArray();
        foreach (var slot in result)
        {
            _dirty[slot] = false;
        }

        _dirtyCount = 0;
        Array.Sort(result);
        return result;
    }

    /// <summary>Copies the slot table (for a snapshot); call while no block is executing.</summary>
    public (TKey[] Ids, TValue[] States) Export() => (_ids.AsSpan(0, Count).ToArray(), _states.AsSpan(0, Count).ToArray());

    /// <summary>Loads a slot table into an empty store.</summary>
    public void Import(ReadOnlySpan<TKey> ids, ReadOnlySpan<TValue> states)
    {
        if (Count != 0)
        {
            throw new InvalidOperationException("Import needs an empty store.");
        }

        for (var i = 0; i < ids.Length; i++)
        {
            var slot = GetOrAddSlot(ids[i]);
            _states[slot] = states[i];
        }
    }

    /// <summary>Copies every slot into <paramref name="copy"/>, an empty store.</summary>
    protected void CopyTo(SlotStore<TKey, TValue> copy)
    {
        for (var i = 0; i < Count; i++)
        {
            copy.GetOrAddSlot(_ids[i]);
            copy._states[i] = _states[i];
        }
    }

    private void Grow()
    {
        var capacity = _ids.Length * 2;
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _states, capacity);
        Array.Resize(ref _dirty, capacity);
        Array.Resize(ref _dirtyList, capacity);
    }
}
