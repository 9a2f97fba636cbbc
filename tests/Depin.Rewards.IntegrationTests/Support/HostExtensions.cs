using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Rewards.Epochs;
using Microsoft.Extensions.DependencyInjection;

namespace Depin.Rewards.IntegrationTests.Support;

public static class HostExtensions
{
    public static T Get<T>(this RewardsHost host)
        where T : notnull => host.Services.GetRequiredService<T>();

    /// <summary>Funds the ledger's reward pool with a gateway deposit.</summary>
    public static async Task FundRewardPoolAsync(this ILedgerClient ledger, long amount)
    {
        IReadOnlyList<ReceiptDto> receipts = await ledger.SubmitAsync([new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: LedgerAccounts.RewardPool, Amount: amount)]);
        Assert.True(receipts[0].Succeeded, receipts[0].Status);
    }

    /// <summary>Records uptime (and work) for <paramref name="providers"/> inside epoch <paramref name="epoch"/>'s window.</summary>
    public static void Seed(this RewardsHost host, long epoch, params (Address Account, long Uptime, long Capability, long Work, bool Failed)[] providers)
    {
        EpochClock clock = host.Get<EpochClock>();
        EpochActivityRecorder recorder = host.Get<EpochActivityRecorder>();
        DateTimeOffset at = clock.Window(epoch).Start + TimeSpan.FromSeconds(1);
        foreach ((Address account, long uptime, long capability, long work, bool failed) in providers)
        {
            recorder.RecordUptime(account, uptime, capability, at);
            recorder.RecordVerifiedWork(account, work, at);
            if (failed)
            {
                recorder.RecordFailedVerification(account, at);
            }
        }
    }
}
