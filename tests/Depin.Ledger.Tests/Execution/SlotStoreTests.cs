using Depin.Ledger.Accounts;
using Depin.Ledger.Execution;

namespace Depin.Ledger.Tests.Execution;

public sealed class SlotStoreTests
{
    [Theory]
    [InlineData(100_000, 60_000)]
    [InlineData(100_000, 2_000)]
    [InlineData(100_000, 12)]
    [InlineData(5, 3)]
    public void Taking_the_changed_slots_gives_each_once_in_order_and_clears_them(int accounts, int marks)
    {
        // Dense sets are read off the flags, sparse ones sorted from the list: both must give the same answer.
        var store = new AccountStore(16);
        for (var i = 0; i < accounts; i++)
        {
            store.GetOrAddSlot(AccountId.FromNumber((ulong)i + 1));
        }

        var random = new Random(accounts + marks);
        for (var round = 0; round < 3; round++)
        {
            var marked = new SortedSet<int>();
            for (var m = 0; m < marks; m++)
            {
                var slot = random.Next(accounts);
                store.MarkDirty(slot);
                marked.Add(slot);
            }

            Assert.Equal(marked.ToArray(), store.TakeDirty());
            Assert.Empty(store.TakeDirty());
        }
    }
}
