using Depin.Contracts.Events;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Depin.Marketplace.Settlement;

/// <summary>
/// Subscribers that move money: a verified job is settled with one escrow-release (price to the provider less the fee,
/// the fee to the treasury, the rest back to the customer); an ended job is refunded. Ledger transaction ids derive
/// from the job id, so a repeated event returns the original receipt and never pays twice.
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

        var tx = new LedgerTransactionDto(LedgerIds.Settle(jobId), "escrow-release",
            From: state.Submission!.CustomerAddress, To: state.ProviderAddress, Amount: state.Price, Fee: state.Fee, Job: jobId.ToString("D"));
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

        var tx = new LedgerTransactionDto(LedgerIds.Refund(jobId), "escrow-refund", From: state.Submission!.CustomerAddress, Job: jobId.ToString("D"));
        var receipt = (await services.GetRequiredService<ILedgerClient>().SubmitAsync([tx], cancellationToken))[0];
        if (!receipt.Succeeded)
        {
            Log(services).RefundFailed(e.JobId, receipt.Status);
            return;
        }

        await job.MarkRefunded(receipt.Id, receipt.Height);
    }

    private static ILogger Log(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger("Depin.Marketplace.Settlement");

    [LoggerMessage(Level = LogLevel.Error, Message = "Settlement of job {JobId} failed in the ledger: {Status}")]
    private static partial void SettlementFailed(this ILogger logger, string jobId, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refund of job {JobId} failed in the ledger: {Status}")]
    private static partial void RefundFailed(this ILogger logger, string jobId, string status);
}
