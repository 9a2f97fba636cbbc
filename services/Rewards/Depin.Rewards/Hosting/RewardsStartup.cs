using Depin.Rewards.Epochs;
using Depin.Rewards.Storage;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Rewards.Hosting;

/// <summary>
/// On start: reports the configuration (chain on or off) and registers the recurring close job. The registration takes
/// Hangfire's lock on the job, which a process killed while holding it keeps until the storage's lock timeout: it is
/// retried in the background rather than failing the start.
/// </summary>
public sealed partial class RewardsStartup(
    IOptions<RewardsOptions> options,
    EpochClock clock,
    IServiceProvider services,
    ILogger<RewardsStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Registration can wait on a lock for a while: never inside the host's start.
        await Task.Yield();
        RewardsOptions o = options.Value;
        LogEpochs(clock.Genesis, clock.Length, o.InitialEmissionPerEpoch, o.HalvingIntervalEpochs, o.AvailabilityBasisPoints);
        if (!o.Chain.IsConfigured)
        {
            LogNoChain();
        }
        else
        {
            LogChain(o.Chain.RpcUrl!, o.Chain.DistributorAddress ?? "(none)", o.Chain.StateAnchorAddress ?? "(none)");
            if (o.Genesis is null && services.GetService(typeof(IEpochStore)) is InMemoryEpochStore)
            {
                // A restart would number epochs from 0 again, and the distributor already holds roots for those numbers.
                LogVolatileGenesis();
            }
        }

        if (!o.RunScheduler || services.GetService(typeof(IRecurringJobManager)) is not IRecurringJobManager jobs)
        {
            return;
        }

        string cron = o.CloseCron ?? EpochCloseJob.CronFor(o.EpochLength);
        while (true)
        {
            try
            {
                jobs.AddOrUpdate<EpochCloseJob>(EpochCloseJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), cron);
                LogScheduled(cron);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogScheduleRetry(e);
            }

            await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not register the epoch close job yet (a lock a killed process held expires after Hangfire's lock timeout); retrying")]
    private partial void LogScheduleRetry(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rewards epochs: genesis {Genesis}, length {Length}, emission {Emission} micro-credits/epoch halving every {Halving} epochs, availability share {AvailabilityBps} bp")]
    private partial void LogEpochs(DateTimeOffset genesis, TimeSpan length, long emission, long halving, int availabilityBps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No chain configured (Rewards:Chain:RpcUrl / SignerPrivateKey): payout roots are computed and served but not set on chain, and the ledger state is not anchored")]
    private partial void LogNoChain();

    [LoggerMessage(Level = LogLevel.Information, Message = "Chain {RpcUrl}: distributor {Distributor}, state anchor {StateAnchor}")]
    private partial void LogChain(string rpcUrl, string distributor, string stateAnchor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Epochs are kept in memory and Rewards:Genesis is not set: after a restart epoch numbers start at 0 again and clash with roots already on the distributor. Set ConnectionStrings:Rewards or Rewards:Genesis")]
    private partial void LogVolatileGenesis();

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch close job scheduled with cron {Cron}")]
    private partial void LogScheduled(string cron);
}
