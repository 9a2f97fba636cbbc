using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Rewards.Bridge;

/// <summary>Runs <see cref="Withdrawals.BatchAsync"/> every <see cref="BridgeOptions.WithdrawalBatchInterval"/> while a Vault is configured, then the <see cref="BackingCheck"/>.</summary>
public sealed partial class WithdrawalBatcher(Withdrawals withdrawals, BackingCheck backing, IOptions<BridgeOptions> options, TimeProvider time, ILogger<WithdrawalBatcher> logger) : BackgroundService
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
                if (backing.IsEnabled)
                {
                    BackingReport report = await backing.CheckAsync(stoppingToken).ConfigureAwait(false);
                    if (!report.Difference.IsZero)
                    {
                        LogUnbacked(report.Difference, report.LedgerHeight);
                    }
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogBatchFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Vault's tokens differ from the ledger's credits and unclaimed withdrawals by {Difference} base units at ledger height {Height} (negative: credits made without tokens, such as the development faucet)")]
    private partial void LogUnbacked(System.Numerics.BigInteger difference, long height);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Withdrawal batch failed; the next run resumes it")]
    private partial void LogBatchFailed(Exception exception);
}
