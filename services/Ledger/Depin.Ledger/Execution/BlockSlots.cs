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

    /// <summary>Shape checks (their status goes to <paramref name="statuses"/>) and the slots that exist already, for transactions [from, to).</summary>
    public void Resolve(AccountStore store, ReadOnlySpan<Transaction> txs, ReceiptStatus[] statuses, int from, int to)
    {
        Span<AccountId> ids = stackalloc AccountId[MaxAccounts];
        for (var j = from; j < to; j++)
        {
            ref readonly var tx = ref txs[j];
            var shape = NativePrograms.CheckShape(tx);
            statuses[j] = shape;
            if (shape != ReceiptStatus.Success)
            {
                _count[j] = 0;
                _record[j] = -1;
                continue;
            }

            var count = tx.DeclaredAccounts(ids);
            _count[j] = (byte)count;
            for (var k = 0; k < count; k++)
            {
                var at = (j * MaxAccounts) + k;
                if (!store.TryGetSlot(ids[k], out _slot[at]))
                {
                    _slot[at] = -1;
                    _missing[at] = ids[k];
                }
            }

            // -2: a record that does not exist yet.
            _record[j] = !tx.HasJobRecord ? -1 : store.Jobs.TryGetSlot(tx.Job, out var slot) ? slot : -2;
        }
    }

    public int AccountCount(int j) => _count[j];

    /// <summary>The slot of transaction <paramref name="j"/>'s account <paramref name="k"/>, added now when it did not exist.</summary>
    public int AccountSlot(AccountStore store, int j, int k)
    {
        var at = (j * MaxAccounts) + k;
        return _slot[at] >= 0 ? _slot[at] : store.GetOrAddSlot(_missing[at]);
    }

    /// <summary>The slot of transaction <paramref name="j"/>'s job record (added now when it did not exist), or -1 when it has none.</summary>
    public int RecordSlot(AccountStore store, in Transaction tx, int j) => _record[j] == -2 ? store.Jobs.GetOrAddSlot(tx.Job) : _record[j];
}
