using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Depin.Ledger.Execution;

/// <summary>
/// The keys of a <see cref="SlotStore{TKey, TValue}"/> by slot, and the index from key to slot: open addressing with
/// linear probing over 8-byte entries (the key's hash and its slot + 1), keys compared in the key table. One writer.
/// While it only adds (growing included), other threads may look up at the same time and see each key either absent or
/// at its slot: an entry is published after its key, and a grown table or key array is published whole after the copy,
/// so a reader on the old one still reads a consistent, older index. This lets an executor look up a block's slots on one
/// core while another executes it. Removing needs the index to itself.
/// </summary>
internal sealed class SlotIndex<TKey>
    where TKey : struct, IEquatable<TKey>
{
    private const int MinCapacity = 16;

    private Table _table;
    private TKey[] _keys;

    public SlotIndex(int capacity)
    {
        capacity = Math.Max(capacity, MinCapacity);
        _keys = new TKey[capacity];
        _table = new Table(TableSizeFor(capacity));
    }

    /// <summary>Keys indexed.</summary>
    public int Count { get; private set; }

    /// <summary>Slots the key table holds before it grows.</summary>
    public int SlotCapacity => _keys.Length;

    /// <summary>Entries in the hash table (twice the keys it takes before it grows).</summary>
    public int TableSize => _table.Entries.Length;

    /// <summary>The key at <paramref name="slot"/> (default where none is).</summary>
    public TKey KeyAt(int slot) => _keys[slot];

    /// <summary>The key table's first <paramref name="count"/> slots.</summary>
    public ReadOnlySpan<TKey> Keys(int count) => _keys.AsSpan(0, count);

    public bool TryGet(in TKey key, out int slot)
    {
        var hash = Hash(key);
        var table = Volatile.Read(ref _table);
        var entries = table.Entries;
        var mask = entries.Length - 1;
        for (var i = table.Home(hash); ; i = (i + 1) & mask)
        {
            var entry = Volatile.Read(ref entries[i]);
            if (entry == 0)
            {
                slot = -1;
                return false;
            }

            if ((uint)entry == hash)
            {
                slot = (int)(entry >> 32) - 1;

                // Read after the entry: the key array it was published with, or a later one.
                if (Volatile.Read(ref _keys)[slot].Equals(key))
                {
                    return true;
                }
            }
        }
    }

    /// <summary>Asks the CPU to start loading the entry where a lookup of <paramref name="key"/> begins (a hint; safe from any thread).</summary>
    public unsafe void Prefetch(in TKey key)
    {
        if (Sse.IsSupported)
        {
            var table = Volatile.Read(ref _table);
            Sse.Prefetch0(Unsafe.AsPointer(ref table.Entries[table.Home(Hash(key))]));
        }
    }

    /// <summary>Adds <paramref name="key"/>, absent until now, at <paramref name="slot"/>.</summary>
    public void Add(in TKey key, int slot)
    {
        if (slot >= _keys.Length)
        {
            GrowKeys(Math.Max(slot + 1, _keys.Length * 2));
        }

        if (Count + 1 > _table.Entries.Length / 2)
        {
            Rehash(_table.Entries.Length * 2);
        }

        _keys[slot] = key;
        var hash = Hash(key);
        var table = _table;
        var mask = table.Entries.Length - 1;
        var i = table.Home(hash);
        while (table.Entries[i] != 0)
        {
            i = (i + 1) & mask;
        }

        // Published after its key (release), so a reader that sees the entry sees the key.
        Volatile.Write(ref table.Entries[i], ((ulong)(uint)(slot + 1) << 32) | hash);
        Count++;
    }

    /// <summary>Removes <paramref name="key"/> and clears its slot's key (shifting back the entries that probed past it). Not while others read.</summary>
    public bool Remove(in TKey key)
    {
        var hash = Hash(key);
        var entries = _table.Entries;
        var mask = entries.Length - 1;
        var i = _table.Home(hash);
        while (true)
        {
            var entry = entries[i];
            if (entry == 0)
            {
                return false;
            }

            if ((uint)entry == hash && _keys[(int)(entry >> 32) - 1].Equals(key))
            {
                _keys[(int)(entry >> 32) - 1] = default;
                break;
            }

            i = (i + 1) & mask;
        }

        var hole = i;
        for (var j = (hole + 1) & mask; entries[j] != 0; j = (j + 1) & mask)
        {
            var home = _table.Home((uint)entries[j]);
            var staysPut = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!staysPut)
            {
                entries[hole] = entries[j];
                hole = j;
            }
        }

        entries[hole] = 0;
        Count--;
        return true;
    }

    /// <summary>Grows the key table to at least <paramref name="slots"/> slots and the hash table to take as many keys.</summary>
    public void EnsureCapacity(int slots)
    {
        if (slots > _keys.Length)
        {
            GrowKeys(slots);
        }

        var size = TableSizeFor(slots);
        if (size > _table.Entries.Length)
        {
            Rehash(size);
        }
    }

    private static int TableSizeFor(int count) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(MinCapacity, count * 2));

    /// <summary>The key's hash, spread over the high bits that pick its home entry.</summary>
    private static uint Hash(in TKey key) => (uint)key.GetHashCode() * 0x9E3779B9u;

    private void GrowKeys(int capacity)
    {
        var keys = new TKey[capacity];
        _keys.CopyTo(keys, 0);
        Volatile.Write(ref _keys, keys);
    }

    private void Rehash(int size)
    {
        var table = new Table(size);
        var mask = size - 1;
        foreach (var entry in _table.Entries)
        {
            if (entry == 0)
            {
                continue;
            }

            var i = table.Home((uint)entry);
            while (table.Entries[i] != 0)
            {
                i = (i + 1) & mask;
            }

            table.Entries[i] = entry;
        }

        Volatile.Write(ref _table, table);
    }

    /// <summary>A hash table and its shift, published together.</summary>
    private sealed class Table(int size)
    {
        public readonly ulong[] Entries = new ulong[size];

        private readonly int _shift = 32 - BitOperations.Log2((uint)size);

        public int Home(uint hash) => (int)(hash >> _shift);
    }
}
