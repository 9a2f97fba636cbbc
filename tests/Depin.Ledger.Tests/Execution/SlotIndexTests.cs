using Depin.Ledger.Accounts;
using Depin.Ledger.Execution;

namespace Depin.Ledger.Tests.Execution;

public sealed class SlotIndexTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Random_adds_and_removes_agree_with_a_dictionary(int seed)
    {
        var random = new Random(seed);
        var index = new SlotIndex<AccountId>(4);
        var model = new Dictionary<AccountId, int>();
        var free = new Stack<int>(Enumerable.Range(0, 4_096).Reverse());
        for (var step = 0; step < 50_000; step++)
        {
            // Few distinct keys, so that removals and re-adds collide in the same probe runs.
            var key = AccountId.FromNumber((ulong)random.Next(3_000));
            if (model.TryGetValue(key, out var slot))
            {
                Assert.True(index.TryGet(key, out var found));
                Assert.Equal(slot, found);
                if (random.Next(2) == 0)
                {
                    Assert.True(index.Remove(key));
                    model.Remove(key);
                    Assert.Equal(default, index.KeyAt(slot));
                    free.Push(slot);
                }
            }
            else
            {
                Assert.False(index.TryGet(key, out _));
                Assert.False(index.Remove(key));
                slot = free.Pop();
                index.Add(key, slot);
                model.Add(key, slot);
            }

            Assert.Equal(model.Count, index.Count);
        }

        foreach (var (key, slot) in model)
        {
            Assert.True(index.TryGet(key, out var found));
            Assert.Equal(slot, found);
        }
    }

    [Fact]
    public void Readers_running_while_the_writer_adds_and_grows_the_index_see_a_key_absent_or_at_its_slot()
    {
        const int Existing = 20_000;
        const int Added = 200_000;
        var store = new AccountStore();
        for (var i = 0; i < Existing; i++)
        {
            store.GetOrAddSlot(AccountId.FromNumber((ulong)i));
        }

        using var done = new CancellationTokenSource();
        using var started = new CountdownEvent(2);
        var wrong = 0L;
        var seenAdded = 0L;
        var readers = Enumerable.Range(0, 2).Select(r => new Thread(() =>
        {
            var random = new Random(r);
            started.Signal();
            while (!done.IsCancellationRequested)
            {
                var number = random.Next(Existing + Added);
                if (store.TryGetSlot(AccountId.FromNumber((ulong)number), out var slot))
                {
                    // Keys take slots in order of first appearance, so key n sits at slot n.
                    if (slot != number)
                    {
                        Interlocked.Increment(ref wrong);
                    }

                    if (number >= Existing)
                    {
                        Interlocked.Increment(ref seenAdded);
                    }
                }
                else if (number < Existing)
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        })).ToArray();
        foreach (var reader in readers)
        {
            reader.Start();
        }

        started.Wait();
        for (var i = Existing; i < Existing + Added; i++)
        {
            Assert.Equal(i, store.GetOrAddSlot(AccountId.FromNumber((ulong)i)));
        }

        done.Cancel();
        foreach (var reader in readers)
        {
            reader.Join();
        }

        Assert.Equal(0, wrong);
        Assert.True(seenAdded > 0, "the readers never saw a key added while they ran");
    }
}
