using Depin.Ledger.Accounts;
using Depin.Ledger.Execution;
using Depin.Ledger.Transactions;

var settings = new ExecutionSettings(2);
for (var seed = 0; seed < 2000; seed++)
{
    var accounts = 2;
    var s1 = new AccountStore();
    var s2 = new AccountStore();
    using var ex = new ParallelExecutor(settings, int.Parse(args[2]));
    var seq = new SequentialExecutor(settings);
    var o1 = new BlockOutput();
    var o2 = new BlockOutput();
    var gen = new Transaction[accounts];
    for (var i = 0; i < accounts; i++)
    {
        gen[i] = Transaction.Deposit(TxId.New(), AccountId.FromNumber((ulong)i + 1), 100);
    }

    seq.Execute(s1, gen, 1, o1);
    ex.Execute(s2, gen, 1, o2);
    var rnd = new Random(seed);
    var jobs = new List<TxId>();
    var size = int.Parse(args[0]);
    var block = Depin.Ledger.Tests.RandomBlocks.Block(rnd, size, accounts, jobs);
    if (args.Length > 3) { for (var q = 0; q < block.Length; q++) { block[q] = Transaction.Transfer(TxId.New(), AccountId.FromNumber((ulong)rnd.Next(accounts) + 1), AccountId.FromNumber((ulong)rnd.Next(accounts) + 1), rnd.Next(100)); } }
    seq.Execute(s1, block, 2, o1);
    ex.Execute(s2, block, 2, o2);
    if (args.Length > 1)
    {
        block = Depin.Ledger.Tests.RandomBlocks.Block(rnd, size, accounts, jobs);
        seq.Execute(s1, block, 3, o1);
        ex.Execute(s2, block, 3, o2);
    }
    var same = o1.Statuses.AsSpan(0, block.Length).SequenceEqual(o2.Statuses.AsSpan(0, block.Length));
    for (var i = 0; i < s1.Count; i++)
    {
        same &= s1.StateAt(i) == s2.StateAt(i);
    }

    if (!same)
    {
        Console.WriteLine($"seed {seed} differs");
        for (var i = 0; i < block.Length; i++)
        {
            Console.WriteLine($"{i}: {block[i].Program} {block[i].From.ToString()[^2..]}->{block[i].To.ToString()[^2..]} {block[i].Amount} seq={o1.Statuses[i]} par={o2.Statuses[i]}");
        }

        for (var i = 0; i < s1.Count; i++)
        {
            Console.WriteLine($"slot {i}: seq {s1.StateAt(i).Balance}/{s1.StateAt(i).Staked}/{s1.StateAt(i).Unbonding} par {s2.StateAt(i).Balance}/{s2.StateAt(i).Staked}/{s2.StateAt(i).Unbonding}");
        }

        break;
    }
}

Console.WriteLine("done");
