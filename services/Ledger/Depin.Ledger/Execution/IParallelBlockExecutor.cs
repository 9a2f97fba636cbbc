namespace Depin.Ledger.Execution;

/// <summary>A block executor that runs on a group of worker threads (disposing it stops them).</summary>
public interface IParallelBlockExecutor : IBlockExecutor, IDisposable
{
    int Workers { get; }
}

/// <summary>How the ledger runs a block in parallel ("Ledger:Executor").</summary>
public enum ParallelExecution
{
    /// <summary><see cref="ScheduledExecutor"/>: conflicts known from the declared accounts, no speculation (default).</summary>
    Scheduled,

    /// <summary><see cref="ParallelExecutor"/>: Block-STM, optimistic with validation and re-execution.</summary>
    BlockStm,

    /// <summary><see cref="PipelinedExecutor"/>: the state pass in order on one worker, receipt hashing on the others.</summary>
    Pipelined,
}

/// <summary>Creates the parallel executor of a <see cref="ParallelExecution"/> choice.</summary>
public static class ParallelExecutors
{
    public static IParallelBlockExecutor Create(ParallelExecution kind, ExecutionSettings settings, int workers) => kind switch
    {
        ParallelExecution.BlockStm => new ParallelExecutor(settings, workers),
        ParallelExecution.Pipelined => new PipelinedExecutor(settings, workers),
        _ => new ScheduledExecutor(settings, workers),
    };

    /// <summary>
    /// What a ledger node with more than one execution thread runs: each block on whichever of the sequential executor (its
    /// own instance: the adaptive one disposes its candidates), the pipelined one and the configured <paramref name="kind"/>
    /// has lately been fastest for its traffic.
    /// </summary>
    public static AdaptiveExecutor CreateAdaptive(ParallelExecution kind, ExecutionSettings settings, int workers, int threshold) =>
        new(kind == ParallelExecution.Pipelined
            ? [new SequentialExecutor(settings), Create(ParallelExecution.Pipelined, settings, workers)]
            : [new SequentialExecutor(settings), Create(ParallelExecution.Pipelined, settings, workers), Create(kind, settings, workers)], threshold);
}
