using Depin.Rewards.Epochs;
using Hangfire;

namespace Depin.Rewards.Hosting;

/// <summary>The Hangfire recurring job: closes every ended epoch. Not retried by Hangfire: the next occurrence resumes where a failed run stopped.</summary>
public sealed class EpochCloseJob(EpochCloser closer)
{
    public const string RecurringJobId = "rewards-close-epochs";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)]
    public Task<int> RunAsync(CancellationToken cancellationToken) => closer.CloseDueEpochsAsync(cancellationToken);

    /// <summary>Every N seconds (6-field cron) for sub-minute epochs, else every minute: a run closes whatever has ended.</summary>
    public static string CronFor(TimeSpan epochLength)
    {
        if (epochLength >= TimeSpan.FromMinutes(1))
        {
            return Cron.Minutely();
        }

        int seconds = Math.Clamp((int)Math.Ceiling(epochLength.TotalSeconds / 2), 1, 30);
        return $"*/{seconds} * * * * *";
    }
}
