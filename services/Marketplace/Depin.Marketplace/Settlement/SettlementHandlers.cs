using Depin.Contracts.Events;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Depin.Marketplace.Settlement;

/// <summary>
/// The subscriber that pays: a verified job is settled with one job-settle at the price its lease agreed (to the provider
/// less the fee, the fee to the treasury, the rest back to the customer). The transaction id derives from the job id, so
/// a repeated event returns the original receipt and never pays twice. Refunds need no subscriber: the job program that
/// ends a job (job-cancel, job-expire, or job-fail with its attempts spent) returns the escrow in the same transaction.
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

    private static ILogger Log(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger("Depin.Marketplace.Settlement");

    [LoggerMessage(Level = LogLevel.Error, Message = "Settlement of job {JobId} failed in the ledger: {Status}")]
    private static partial void SettlementFailed(this ILogger logger, string jobId, string status);
}
