using Depin.Chain;

namespace Depin.Rewards.Anchoring;

/// <summary>Sets an epoch's payout root where wallets claim it (the MerkleDistributor).</summary>
public interface IPayoutRootPublisher
{
    /// <summary>False when no distributor is configured: roots are computed and served, not sent.</summary>
    bool IsEnabled { get; }

    /// <summary>The distributor contract address, for claim instructions.</summary>
    string? DistributorAddress { get; }

    /// <summary>Sets the root of <paramref name="epoch"/> unless already set to the same root; returns the transaction hash (null when it was already set).</summary>
    Task<string?> PublishAsync(long epoch, Hash32 root, CancellationToken cancellationToken = default);

    Task<long?> GetChainIdAsync(CancellationToken cancellationToken = default);
}

/// <summary><see cref="IPayoutRootPublisher"/> on the configured MerkleDistributor; a no-op when there is none.</summary>
public sealed class ChainPayoutRootPublisher(RewardsChain chain) : IPayoutRootPublisher
{
    private long? _chainId;

    public bool IsEnabled => chain.Distributor is not null;

    public string? DistributorAddress => chain.Distributor?.Address.ToString();

    public async Task<string?> PublishAsync(long epoch, Hash32 root, CancellationToken cancellationToken = default)
    {
        MerkleDistributorContract distributor = chain.Distributor ?? throw new InvalidOperationException("No MerkleDistributor is configured.");
        Hash32 existing = await distributor.RootOfAsync((ulong)epoch, cancellationToken).ConfigureAwait(false);
        if (existing == root)
        {
            return null;
        }

        if (!existing.IsZero)
        {
            throw new InvalidOperationException($"Epoch {epoch} already has root {existing} on chain, not {root}; refusing to continue.");
        }

        TransactionReceipt receipt = await distributor.SetRootAsync((ulong)epoch, root, cancellationToken).ConfigureAwait(false);
        return receipt.TransactionHash.ToString();
    }

    public async Task<long?> GetChainIdAsync(CancellationToken cancellationToken = default)
    {
        if (chain.Client is null)
        {
            return null;
        }

        _chainId ??= (long)await chain.Client.GetChainIdAsync(cancellationToken).ConfigureAwait(false);
        return _chainId;
    }
}
