using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Jobs;
using Depin.Ledger.Transactions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Depin.Ledger.Tests.Jobs;

public sealed class JobExecutionTests
{
    private const long T0 = 1_700_000_000_000;
    private static readonly ExecutionSettings Settings = new(UnbondingDelayMs: 2_000);

    [Property(MaxTest = 40)]
    public Property Parallel_execution_equals_sequential_for_random_job_lifecycles() =>
        Prop.ForAll(
            (from customers in Gen.Choose(1, 60)
             from blockSize in Gen.Choose(1, 3_000)
             from workers in Gen.Choose(1, 6)
             from seed in Gen.Choose(0, int.MaxValue)
             select (customers, blockSize, workers, seed)).ToArbitrary(),
            c => SameOutcome(c.customers, c.blockSize, c.workers, c.seed, blocks: 6));

    [Property(MaxTest = 40)]
    public Property Scheduled_execution_equals_sequential_for_random_job_lifecycles() =>
        Prop.ForAll(
            (from customers in Gen.Choose(1, 60)
             from blockSize in Gen.Choose(1, 3_000)
             from workers in Gen.Choose(1, 8)
             from seed in Gen.Choose(0, int.MaxValue)
             select (customers, blockSize, workers, seed)).ToArbitrary(),
            c => SameOutcome(c.customers, c.blockSize, c.workers, c.seed, blocks: 6, ParallelExecution.Scheduled));

    [Theory]
    [InlineData(1, 2, ParallelExecution.BlockStm)]
    [InlineData(3, 8, ParallelExecution.BlockStm)]
    [InlineData(200, 2, ParallelExecution.BlockStm)]
    [InlineData(5_000, 3, ParallelExecution.BlockStm)]
    [InlineData(1, 2, ParallelExecution.Scheduled)]
    [InlineData(3, 8, ParallelExecution.Scheduled)]
    [InlineData(200, 2, ParallelExecution.Scheduled)]
    [InlineData(5_000, 3, ParallelExecution.Scheduled)]
    [InlineData(3, 2, ParallelExecution.Pipelined)]
    [InlineData(5_000, 4, ParallelExecution.Pipelined)]
    public void Parallel_execution_equals_sequential_for_job_lifecycles_at_every_contention_level(int customers, int workers, ParallelExecution kind) =>
        Assert.True(SameOutcome(customers, 6_000, workers, seed: customers * 17 + workers, blocks: 8, kind));

    [Fact]
    public void Lifecycle_blocks_mostly_succeed_reach_every_final_status_and_conserve_money()
    {
        var random = new Random(11);
        var store = new AccountStore();
        var output = new BlockOutput();
        var executor = new SequentialExecutor(Settings);
        var jobs = new List<TxId>();
        executor.Execute(store, RandomBlocks.Genesis(40, 1_000_000), 1, T0, output);
        var total = store.TotalHoldings();
        var tried = new Dictionary<ProgramKind, int>();
        var succeeded = new Dictionary<ProgramKind, int>();
        var now = T0;
        for (var height = 2; height < 60; height++)
        {
            now += RandomJobBlocks.Second * random.Next(0, 3);
            var block = RandomJobBlocks.Block(random, store, 400, 40, now, jobs);
            executor.Execute(store, block, height, now, output);
            for (var i = 0; i < block.Length; i++)
            {
                tried[block[i].Program] = tried.GetValueOrDefault(block[i].Program) + 1;
                if (output.Statuses[i] == ReceiptStatus.Success)
                {
                    succeeded[block[i].Program] = succeeded.GetValueOrDefault(block[i].Program) + 1;
                }
            }

            Assert.Equal(total, store.TotalHoldings());
        }

        foreach (var program in new[] { ProgramKind.JobSubmit, ProgramKind.JobLease, ProgramKind.JobComplete, ProgramKind.JobSettle, ProgramKind.JobFail, ProgramKind.JobExpire, ProgramKind.JobExtend, ProgramKind.JobCancel, ProgramKind.JobRelease })
        {
            var rate = (double)succeeded.GetValueOrDefault(program) / tried.GetValueOrDefault(program, 1);
            Assert.True(rate >= 0.5, $"{program}: {succeeded.GetValueOrDefault(program)} of {tried.GetValueOrDefault(program)} succeeded");
        }

        Assert.True(succeeded.GetValueOrDefault(ProgramKind.JobPrune) > 100, $"{succeeded.GetValueOrDefault(ProgramKind.JobPrune)} prunes succeeded");
        Assert.True(store.Jobs.Count < succeeded[ProgramKind.JobSubmit], "pruned and rejected submissions' slots are taken again");
        Assert.Equal(store.Jobs.Live, jobs.Count(j => !store.Jobs.Get(j).IsEmpty));
        var statuses = jobs.Select(j => store.Jobs.Get(j).Status).ToHashSet();
        Assert.Superset(new HashSet<JobStatus> { JobStatus.Settled, JobStatus.Failed, JobStatus.Cancelled, JobStatus.Expired, JobStatus.Queued }, statuses);
    }

    [Fact]
    public void Every_escrow_ends_settled_or_refunded_once_the_deadlines_pass()
    {
        var random = new Random(5);
        var store = new AccountStore();
        var output = new BlockOutput();
        using var executor = new ParallelExecutor(Settings, 3);
        var jobs = new List<TxId>();
        executor.Execute(store, RandomBlocks.Genesis(30, 1_000_000), 1, T0, output);
        var total = store.TotalHoldings();
        var now = T0;
        var height = 2;
        for (; height < 30; height++)
        {
            now += RandomJobBlocks.Second;
            executor.Execute(store, RandomJobBlocks.Block(random, store, 600, 30, now, jobs), height, now, output);
        }

        // Past every deadline, the sweeper's moves: fail what is leased or completed, expire what is queued or leased.
        now += RandomJobBlocks.Second * 60;
        for (var round = 0; round < 4; round++, height++)
        {
            var sweep = new List<Transaction>();
            foreach (var id in jobs)
            {
                var job = store.Jobs.Get(id);
                if (job.Status is JobStatus.Queued or JobStatus.Leased)
                {
                    sweep.Add(RandomJobBlocks.Expire(id, job.Customer));
                }
                else if (job.Status == JobStatus.Completed)
                {
                    sweep.Add(RandomJobBlocks.Fail(id, job.Customer, job.Worker, job.FencingToken));
                }
            }

            executor.Execute(store, sweep.ToArray(), height, now, output);
        }

        Assert.All(jobs, id =>
        {
            var job = store.Jobs.Get(id);
            Assert.True(job.IsFinal || job.IsEmpty, $"job {id} is {job.Status}");
            Assert.Equal(0, job.Escrow);
        });
        Assert.Equal(total, store.TotalHoldings());
    }

    private static bool SameOutcome(int customers, int blockSize, int workers, int seed, int blocks, ParallelExecution kind = ParallelExecution.BlockStm)
    {
        var sequentialStore = new AccountStore();
        var parallelStore = new AccountStore();
        var sequential = new SequentialExecutor(Settings);
        using var parallel = ParallelExecutors.Create(kind, Settings, workers);
        var sequentialOutput = new BlockOutput();
        var parallelOutput = new BlockOutput();
        var sequentialTree = new LedgerStateTree();
        var parallelTree = new LedgerStateTree();

        var genesis = RandomBlocks.Genesis(customers, 50_000);
        sequential.Execute(sequentialStore, genesis, 1, T0, sequentialOutput);
        parallel.Execute(parallelStore, genesis, 1, T0, parallelOutput);

        var random = new Random(seed);
        var jobs = new List<TxId>();
        var now = T0;
        for (var height = 2; height < 2 + blocks; height++)
        {
            now += RandomJobBlocks.Second * random.Next(0, 3);
            var block = RandomJobBlocks.Block(random, sequentialStore, blockSize, customers, now, jobs);
            sequential.Execute(sequentialStore, block, height, now, sequentialOutput);
            parallel.Execute(parallelStore, block, height, now, parallelOutput);
            if (!sequentialOutput.Statuses.AsSpan(0, block.Length).SequenceEqual(parallelOutput.Statuses.AsSpan(0, block.Length)) ||
                sequentialOutput.ReceiptsRoot() != parallelOutput.ReceiptsRoot() ||
                sequentialTree.Update(sequentialStore) != parallelTree.Update(parallelStore) ||
                sequentialStore.Count != parallelStore.Count ||
                sequentialStore.Jobs.Count != parallelStore.Jobs.Count)
            {
                return false;
            }
        }

        return true;
    }
}
