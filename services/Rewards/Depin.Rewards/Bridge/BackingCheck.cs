using System.Diagnostics.Metrics;
using System.Numerics;
using Depin.Chain;
using Depin.Rewards.Anchoring;

namespace Depin.Rewards.Bridge;

/// <summary>
/// The conservation check, read from the chain: the Vault's token balance against the ledger's credits (each backed by
/// 10^12 base units) plus what withdrawal batches published and their owners have not claimed yet.
/// <paramref name="Difference"/> is zero on a platform whose every credit came in through the Vault; credits made from
/// nothing (the development faucet, admin deposits) show as a negative difference.
/// </summary>
public sealed record BackingReport(long LedgerHeight, BigInteger VaultBalance, BigInteger LedgerCredits, BigInteger Unclaimed, BigInteger Difference);

/// <summary>Computes <see cref="BackingReport"/> and keeps the last one for the gauge <c>depin.bridge.backing.difference</c>.</summary>
public sealed class BackingCheck
{
    private static readonly Meter Meter = new("Depin.Rewards");
    private readonly RewardsChain _chain;
    private readonly ILedgerSupplySource? _supply;
    private long _lastDifference;

    public BackingCheck(RewardsChain chain, ILedgerSupplySource? supply = null)
    {
        _chain = chain;
        _supply = supply;
        Meter.CreateObservableGauge(
            "depin.bridge.backing.difference", () => Interlocked.Read(ref _lastDifference), "{micro-credit}",
            "The Vault's tokens less the ledger's credits and the published, unclaimed withdrawals, at the last check: 0 when every credit is backed.");
    }

    /// <summary>Whether there is a Vault, its token and a way to read the ledger's supply.</summary>
    public bool IsEnabled => _chain.Vault is not null && _chain.Token is not null && _supply is not null;

    public async Task<BackingReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        VaultContract vault = _chain.Vault ?? throw new InvalidOperationException("Rewards:Chain:VaultAddress is not configured.");
        RewardTokenContract token = _chain.Token ?? throw new InvalidOperationException("Rewards:Chain:TokenAddress is not configured.");
        ILedgerSupplySource source = _supply ?? throw new InvalidOperationException("The ledger's supply cannot be read here (no ledger in process and no Rewards:LedgerUrl).");
        LedgerSupply supply = await source.GetAsync(cancellationToken).ConfigureAwait(false);
        BigInteger balance = await token.BalanceOfAsync(vault.Address, cancellationToken).ConfigureAwait(false);
        BigInteger unclaimed = await vault.PublishedTotalAsync(cancellationToken).ConfigureAwait(false) - await vault.WithdrawnTotalAsync(cancellationToken).ConfigureAwait(false);
        BigInteger credits = (BigInteger)supply.Total * VaultContract.UnitsPerMicroCredit;
        var report = new BackingReport(supply.Height, balance, credits, unclaimed, balance - credits - unclaimed);
        Interlocked.Exchange(ref _lastDifference, (long)BigInteger.Clamp(report.Difference / VaultContract.UnitsPerMicroCredit, long.MinValue, long.MaxValue));
        return report;
    }
}
