using Depin.Contracts.Ledger;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Jobs;

/// <summary>
/// Sweeps the ledger's open-jobs index: at start (so that after a restart queued jobs are leasable again within
/// seconds) and then every <see cref="MarketplaceOptions.SweepInterval"/>, every open job's grain is woken; its
/// activation adopts the ledger's record and its timer re-enqueues it, ends an expired lease or expires it.
/// </summary>
internal sealed partial class OpenJobsSweeper(
    IGrainFactory grains,
    ILedgerJobs ledger,
    IHostApplicationLifetime lifetime,
    IOptions<MarketplaceOptions> options,
    ILogger<OpenJobsSweeper> logger) : BackgroundService
{
    private const int Concurrency = 64;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await Task.WhenAny(started.Task, Task.Delay(Timeout.Infinite, stoppingToken));
        }

        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var open = await ledger.GetOpenJobsAsync(options.Value.SweepLimit, stoppingToken);
                await Parallel.ForEachAsync(open, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = stoppingToken },
                    async (id, _) => await grains.GetGrain<IJobGrain>(Guid.Parse(id)).Get());
                if (first)
                {
                    LogFirstSweep(open.Count);
                    first = false;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(ex.Message);
            }

            try
            {
                await Task.Delay(options.Value.SweepInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Woke {Count} open jobs from the ledger's index")]
    private partial void LogFirstSweep(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping the ledger's open jobs failed: {Reason}; retrying")]
    private partial void LogSweepFailed(string reason);
}
