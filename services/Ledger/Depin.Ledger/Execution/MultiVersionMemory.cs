using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
namespace Depin.Ledger.Execution;

/// <summary>
/// Block-STM multi-version memory of one kind of state (accounts, job records). Every (location, transaction) pair that a transaction may write has one entry;
/// the entries of an account are laid out in transaction order, so the value a transaction reads is the
/// nearest written entry below its own. An entry has exactly one writer (its transaction's current
/// incarnation) and is published with a sequence lock, so readers never see a torn value.
/// </summary>
internal sealed class MultiVersionMemory<T>
    where T : struct
{
    public const int Absent = 0;
    public const int Written = 1;
    public const int Estimate = 2;

    /// <summary>Version of a read served by committed storage rather than an entry.</summary>
    public const int FromStorage = -1;

    private Entry[] _entries = [];

    [StructLayout(LayoutKind.Sequential)]
    private struct Entry
    {
        public int Seq;
        public int Meta;
        public T Value;
    }

    public void Reset(int entries)
    {
        if (_entries.Length < entries)
        {
            _entries = new Entry[Math.Max(entries, _entries.Length * 2)];
        }
        else
        {
            Array.Clear(_entries, 0, entries);
        }
    }

    /// <summary>
    /// Reads the latest value written below <paramref name="position"/> within [<paramref name="start"/>, position).
    /// Returns the entry position read (or <see cref="FromStorage"/>), or, when an estimate blocks the read,
    /// <c>-2 - position</c> of that entry.
    /// </summary>
    public int Read(int start, int position, out int incarnation, out T value)
    {
        for (var p = position - 1; p >= start; p--)
        {
            var meta = ReadConsistent(ref _entries[p], out value);
            if ((meta & 3) == Written)
            {
                incarnation = meta >> 2;
                return p;
            }

            if ((meta & 3) == Estimate)
            {
                incarnation = meta >> 2;
                return -2 - p;
            }
        }

        incarnation = 0;
        value = default;
        return FromStorage;
    }

    /// <summary>True when a fresh read would observe exactly the recorded version.</summary>
    public bool StillReads(int start, int position, int readPosition, int readIncarnation)
    {
        for (var p = position - 1; p >= start; p--)
        {
            var meta = Volatile.Read(ref _entries[p].Meta);
            switch (meta & 3)
            {
                case Written:
                    return p == readPosition && meta >> 2 == readIncarnation;
                case Estimate:
                    return false;
            }
        }

        return readPosition == FromStorage;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(int position, int incarnation, in T value) => Publish(position, (incarnation << 2) | Written, value);

    public void Remove(int position) => Publish(position, Absent, default);

    public void MarkEstimate(int position)
    {
        ref var entry = ref _entries[position];
        Volatile.Write(ref entry.Meta, (entry.Meta & ~3) | Estimate);
    }

    /// <summary>The final value of an account: its highest written entry in [start, end), if any.</summary>
    public bool TryFinal(int start, int end, out T value)
    {
        for (var p = end - 1; p >= start; p--)
        {
            if ((_entries[p].Meta & 3) == Written)
            {
                value = _entries[p].Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static int ReadConsistent(ref Entry entry, out T value)
    {
        while (true)
        {
            var seq = Volatile.Read(ref entry.Seq);
            if ((seq & 1) != 0)
            {
                Thread.SpinWait(1);
                continue;
            }

            var meta = Volatile.Read(ref entry.Meta);
            value = entry.Value;
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref entry.Seq) == seq)
            {
                return meta;
            }
        }
    }

    private void Publish(int position, int meta, in T value)
    {
        ref var entry = ref _entries[position];
        var seq = entry.Seq;
        Volatile.Write(ref entry.Seq, seq + 1);
        Interlocked.MemoryBarrier();
        entry.Value = value;
        entry.Meta = meta;
        Volatile.Write(ref entry.Seq, seq + 2);
    }
}
