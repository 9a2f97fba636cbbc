using Depin.Chain;

namespace Depin.Rewards.Anchoring;

/// <summary>Where ledger state roots are anchored (the StateAnchor contract).</summary>
public interface IStateAnchorSink
{
    bool IsEnabled { get; }

    /// <summary>The highest height anchored so far (0 when none).</summary>
    Task<long> LatestAnchoredHeightAsync(CancellationToken cancellationToken = default);

    /// <summary>Anchors <paramref name="root"/> at <paramref name="height"/>; returns the transaction hash.</summary>
    Task<string> AnchorAsync(long height, Hash32 root, CancellationToken cancellationToken = default);
}

/// <summary><see cref="IStateAnchorSink"/> on the configured StateAnchor contract.</summary>
public sealed class ChainStateAnchorSink(RewardsChain chain) : IStateAnchorSink
{
    public bool IsEnabled => chain.StateAnchor is not null;

    public async Task<long> LatestAnchoredHeightAsync(CancellationToken cancellationToken = default) =>
        (long)await Require().LatestHeightAsync(cancellationToken).ConfigureAwait(false);

    public async Task<string> AnchorAsync(long height, Hash32 root, CancellationToken cancellationToken = default) =>
        (await Require().AnchorAsync((ulong)height, root, cancellationToken).ConfigureAwait(false)).TransactionHash.ToString();

    private StateAnchorContract Require() => chain.StateAnchor ?? throw new InvalidOperationException("No StateAnchor contract is configured.");
}
