using Depin.Ledger.Accounts;
using Depin.ServiceDefaults.Admin;

namespace Depin.Ledger.Node;

/// <summary>The ledger's section of the admin dashboard: height, throughput over recent blocks, system balances, latest blocks.</summary>
internal sealed class LedgerDashboardSource(LedgerNode node) : IDashboardSource
{
    public string Section => "ledger";

    public Task<object> SnapshotAsync(CancellationToken cancellationToken)
    {
        var height = node.Height;
        var recent = new List<CommittedBlock>();
        for (var h = height; h >= 1 && recent.Count < 50 && node.GetBlock(h) is { } block; h--)
        {
            recent.Add(block);
        }

        var transactions = recent.Sum(b => (long)b.Header.TransactionCount);
        var span = recent.Count > 1 ? (recent[0].Header.TimestampMs - recent[^1].Header.TimestampMs) / 1000.0 : 0;
        object snapshot = new
        {
            height,
            pending = node.Pending,
            stateRoot = node.StateRoot.ToString(),
            recentTransactionsPerSecond = span > 0 ? Math.Round(transactions / span, 1) : 0,
            treasury = node.GetAccount(SystemAccounts.Treasury).State.Balance,
            rewardPool = node.GetAccount(SystemAccounts.RewardPool).State.Balance,
            healthy = !node.IsFaulted,
            blocks = recent.Take(8).Select(b => new
            {
                height = b.Header.Height,
                transactions = b.Header.TransactionCount,
                time = DateTimeOffset.FromUnixTimeMilliseconds(b.Header.TimestampMs).ToString("HH:mm:ss.fff"),
                hash = b.Hash.ToString(),
            }).ToArray(),
        };
        return Task.FromResult(snapshot);
    }
}
