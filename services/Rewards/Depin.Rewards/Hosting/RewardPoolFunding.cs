using Depin.Contracts.Ledger;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Rewards.Hosting;

/// <summary>
/// Funds the ledger's reward pool once with <see cref="RewardsOptions.RewardPoolFunding"/> micro-credits (an idempotent
/// deposit with a fixed transaction id), so that epoch rewards can be credited on a platform without a chain. With a Vault,
/// nothing is credited from nothing: each epoch's emission is minted into the Vault and deposited then (<see cref="Epochs.IEmissionBacking"/>).
/// </summary>
internal sealed partial class RewardPoolFunding(
    ILedgerClient ledger, Epochs.IEmissionBacking emissions, IOptions<RewardsOptions> options, ILogger<RewardPoolFunding> logger) : IHostedService
{
    private const string FundingId = "6a1b2c3d-0000-4000-8000-00000000f00d";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var amount = options.Value.RewardPoolFunding;
        if (amount <= 0)
        {
            return;
        }

        if (emissions.IsEnabled)
        {
            LogBacked(amount);
            return;
        }

        var receipt = (await ledger.SubmitAsync([new LedgerTransactionDto(FundingId, "deposit", To: LedgerAccounts.RewardPool, Amount: amount)], cancellationToken))[0];
        LogFunded(amount, receipt.Height, receipt.Status);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Rewards:RewardPoolFunding ({Amount}) is ignored: with a Vault, the reward pool receives each epoch's emission as it is minted on chain")]
    private partial void LogBacked(long amount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reward pool funded with {Amount} micro-credits (ledger height {Height}, {Status}; idempotent across restarts)")]
    private partial void LogFunded(long amount, long height, string status);
}
