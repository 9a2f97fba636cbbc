using Depin.Ledger.Accounts;
using Depin.Ledger.Programs;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Execution;

/// <summary>
/// A block's account and job-record slots looked up ahead of its state pass, by several threads at once (lookups only:
/// nothing is added while they read). What does not exist yet is remembered and added in block order by the state pass
/// (<see cref="AccountSlot"/>, <see cref="RecordSlot"/>), as the sequential executor adds it.
/// </summary>
internal sealed class BlockSlots
{
    public const int MaxAccounts = 4;

    private byte[] _count = [];
    private int[] _slot = [];
    private AccountId[] _missing = [];
    private int[] _record = [];

    public void EnsureCapacity(int n)
    {
        if (_count.Length >= n)
        {
            return;
        }

        var capacity = Math.Max(n, _count.Length * 2);
        _count = new byte[capacity];
        _slot = new int[capacity * MaxAccounts];
        _missing = new AccountId[capacity * MaxAccounts];
        _record = new int[capacity];
    }

    /// <summary>Transactions whose keys are hashed and their index entries prefetched before any of them is looked up.</summary>
    private const int LookupBatch = 16;

    /// <summary>
    /// Shape checks (their status goes to <paramref name="statuses"/>) and the slots that exist already, for transactions
    /// [from, to). Keys are taken a batch at a time and their index entries prefetched first, so that on an index larger
    /// than the caches the batch's misses overlap instead of following one another.
    /// </summary>
    public void Resolve(AccountStore store, ReadOnlySpan<Transaction> txs, ReceiptStatus[] statuses, int from, int to)
    {
        Span<AccountId> ids = stackalloc AccountId[MaxAccounts * LookupBatch];
        for (var batch = from; batch < to; batch += LookupBatch)
        {
            var end = Math.Min(to, batch + LookupBatch);
            for (var j = batch; j < end; j++)
            {
                ref readonly var tx = ref txs[j];
                var shape = NativePrograms.CheckShape(tx);
                statuses[j] = shape;
                if (shape != ReceiptStatus.Success)
                {
                    _count[j] = 0;
                    continue;
                }

                var own = ids.Slice((j - batch) * MaxAccounts, MaxAccounts);
                var count = tx.DeclaredAccounts(own);
                _count[j] = (byte)count;
                for (var k = 0; k < count; k++)
                {
                    store.PrefetchSlot(own[k]);
                }

                if (tx.HasJobRecord)
                {
                    store.Jobs.PrefetchSlot(tx.Job);
                }
            }

            for (var j = batch; j < end; j++)
            {
                ref readonly var tx = ref txs[j];
                if (statuses[j] != ReceiptStatus.Success)
                {
                    _record[j] = -1;
                    continue;
                }

                for (var k = 0; k < _count[j]; k++)
                {
                    var at = (j * MaxAccounts) + k;
                    var id = ids[((j - batch) * MaxAccounts) + k];
                    if (!store.TryGetSlot(id, out _slot[at]))
                    {
                        _slot[at] = -1;
                        _missing[at] = id;
                    }
                }

                // -2: a record that does not exist yet.
                _record[j] = !tx.HasJobRecord ? -1 : store.Jobs.TryGetSlot(tx.Job, out var slot) ? slot : -2;
            }
        }
    }

    public int AccountCount(int j) => _count[j];

    /// <summary>
    /// Asks the CPU to start loading the states transaction <paramref name="j"/> will read (a hint: nothing waits for it),
    /// so that on a store larger than the caches a state pass overlaps the misses of the transactions ahead of it.
    /// </summary>
    public void Prefetch(AccountStore store, int j)
    {
        var at = j * MaxAccounts;
        for (var k = 0; k < _count[j]; k++)
        {
            if (_slot[at + k] >= 0)
            {
                store.PrefetchState(_slot[at + k]);
            }
        }

        if (_record[j] >= 0)
        {
            store.Jobs.PrefetchState(_record[j]);
        }
    }

    /// <summary>The slot of transaction <paramref name="j"/>'s account <paramref name="k"/>, added now when it did not exist.</summary>
    public int AccountSlot(AccountStore store, int j, int k)
    {
        var at = (j * MaxAccounts) + k;
        return _slot[at] >= 0 ? _slot[at] : store.GetOrAddSlot(_missing[at]);
    }

    /// <summary>The slot of transaction <paramref name="j"/>'s job record (added now when it did not exist), or -1 when it has none.</summary>
    public int RecordSlot(AccountStore store, in Transaction tx, int j) => _record[j] == -2 ? store.Jobs.GetOrAddSlot(tx.Job) : _record[j];
}
