using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Rewards.Bridge;

/// <summary>Runs <see cref="Withdrawals.BatchAsync"/> every <see cref="BridgeOptions.WithdrawalBatchInterval"/> while a Vault is configured.</summary>
public sealed partial class WithdrawalBatcher(Withdrawals withdrawals, IOptions<BridgeOptions> options, TimeProvider time, ILogger<WithdrawalBatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!withdrawals.IsEnabled || !options.Value.RunWithdrawalBatcher)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.WithdrawalBatchInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await withdrawals.BatchAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogBatchFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Withdrawal batch failed; the next run resumes it")]
    private partial void LogBatchFailed(Exception exception);
}
