using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Canaries;

/// <summary>Asks the canary grain every few seconds whether a canary is due; with several silos the grain still runs one per interval.</summary>
public sealed partial class CanaryScheduler(IGrainFactory grains, IOptions<MarketplaceOptions> options, ILogger<CanaryScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.CanaryInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromTicks(Math.Clamp(interval.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(5).Ticks)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await grains.GetGrain<ICanaryGrain>(CanaryGrain.Key).Run(force: false, kind: null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRunFailed(ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Canary run failed ({Reason}); the next tick tries again")]
    private partial void LogRunFailed(string reason);
}
