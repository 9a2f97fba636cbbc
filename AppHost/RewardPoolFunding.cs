using Depin.Contracts.Ledger;

namespace Depin.AppHost;

/// <summary>
/// Funds the ledger's reward pool once (an idempotent deposit with a fixed transaction id), so that epoch rewards can be
/// credited in the all-in-one host. Amount: <c>Pool:RewardPoolFunding</c> micro-credits, default 10^15.
/// </summary>
internal sealed partial class RewardPoolFunding(ILedgerClient ledger, IConfiguration configuration, ILogger<RewardPoolFunding> logger) : IHostedService
{
    private const string FundingId = "6a1b2c3d-0000-4000-8000-00000000f00d";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var amount = configuration.GetValue("Pool:RewardPoolFunding", 1_000_000_000_000_000L);
        var receipt = (await ledger.SubmitAsync([new LedgerTransactionDto(FundingId, "deposit", To: LedgerAccounts.RewardPool, Amount: amount)], cancellationToken))[0];
        LogFunded(amount, receipt.Height, receipt.Status);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Reward pool funded with {Amount} micro-credits (ledger height {Height}, {Status}; idempotent across restarts)")]
    private partial void LogFunded(long amount, long height, string status);
}
