using Depin.Contracts.Events;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Depin.Marketplace.Settlement;

/// <summary>
/// Subscribers that move money: a verified job is settled with one job-settle (price to the provider less the fee, the
/// fee to the treasury, the rest back to the customer); an ended job gets the program that refunds it (job-cancel,
/// job-expire, or job-fail when its attempts ran out). Ledger transaction ids derive from the job id, so a repeated event
/// returns the original receipt and never pays twice; the ledger's record says whether the money went back.
/// </summary>
public static partial class SettlementHandlers
{
    public static async Task OnJobVerified(JobVerifiedEvent e, IServiceProvider services, CancellationToken cancellationToken)
    {
        // The event is only a trigger: amounts and addresses come from the job itself, so a forged or stale event pays nothing.
        var jobId = Guid.Parse(e.JobId);
        var job = services.GetRequiredService<IGrainFactory>().GetGrain<IJobGrain>(jobId);
        var state = await job.Get();
        if (state.Status != JobStatuses.Verified)
        {
            return;
        }

        var tx = JobLedger.Settle(jobId, state.Submission!.CustomerAddress, state.ProviderAddress!, state.Price!.Value, state.Fee!.Value);
        var receipt = (await services.GetRequiredService<ILedgerClient>().SubmitAsync([tx], cancellationToken))[0];
        if (!receipt.Succeeded)
        {
            // Left verified: the job republishes and an operator sees the reason in the log.
            Log(services).SettlementFailed(e.JobId, receipt.Status);
            return;
        }

        await job.MarkSettled(receipt.Id, receipt.Height);
    }

    public static async Task OnJobEnded(JobEndedEvent e, IServiceProvider services, CancellationToken cancellationToken)
    {
        var jobId = Guid.Parse(e.JobId);
        var job = services.GetRequiredService<IGrainFactory>().GetGrain<IJobGrain>(jobId);
        var state = await job.Get();
        if (state.Status is not (JobStatuses.Cancelled or JobStatuses.Failed or JobStatuses.Expired))
        {
            return;
        }

        var customer = state.Submission!.CustomerAddress;
        var tx = state.Status switch
        {
            JobStatuses.Cancelled => JobLedger.Cancel(jobId, customer),
            JobStatuses.Expired => JobLedger.Expire(jobId, customer),
            _ => JobLedger.Fail(jobId, customer, state.FencingToken, state.WorkerId),
        };
        var receipt = (await services.GetRequiredService<ILedgerClient>().SubmitAsync([tx], cancellationToken))[0];
        var record = await services.GetRequiredService<ILedgerJobs>().GetJobAsync(jobId.ToString("D"), cancellationToken);
        if (!JobLedger.IsRefunded(record))
        {
            // Left ended: the job republishes; an expiry the ledger's clock has not reached yet succeeds on a later try.
            Log(services).RefundFailed(e.JobId, receipt.Status);
            return;
        }

        await job.MarkRefunded(receipt.Id, receipt.Height);
    }

    private static ILogger Log(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger("Depin.Marketplace.Settlement");

    [LoggerMessage(Level = LogLevel.Error, Message = "Settlement of job {JobId} failed in the ledger: {Status}")]
    private static partial void SettlementFailed(this ILogger logger, string jobId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refund of job {JobId} not done in the ledger yet ({Status}); it is retried")]
    private static partial void RefundFailed(this ILogger logger, string jobId, string status);
}
