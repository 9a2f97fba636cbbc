using Depin.Chain;
using Depin.Rewards.Emission;
using Depin.Rewards.Storage;

namespace Depin.Rewards.Epochs;

/// <summary>Builds the payout Merkle tree of an epoch's rewards: leaf (epoch, account, per-epoch amount in micro-credits).</summary>
public static class PayoutTrees
{
    public static PayoutMerkleTree Build(long epoch, IReadOnlyList<ProviderReward> rewards)
    {
        var payouts = new Payout[rewards.Count];
        for (int i = 0; i < payouts.Length; i++)
        {
            payouts[i] = new Payout(rewards[i].Account, (UInt128)(ulong)rewards[i].Total);
        }

        return new PayoutMerkleTree((ulong)epoch, payouts);
    }
}

/// <summary>The few most recent payout trees, rebuilt from the store on a miss (proof requests cluster on recent epochs).</summary>
public sealed class PayoutTreeCache(IEpochStore store)
{
    private const int Capacity = 4;
    private readonly Lock _lock = new();
    private readonly LinkedList<PayoutMerkleTree> _trees = new();

    public void Add(PayoutMerkleTree tree)
    {
        lock (_lock)
        {
            for (LinkedListNode<PayoutMerkleTree>? node = _trees.First; node is not null; node = node.Next)
            {
                if (node.Value.Epoch == tree.Epoch)
                {
                    _trees.Remove(node);
                    break;
                }
            }

            _trees.AddFirst(tree);
            while (_trees.Count > Capacity)
            {
                _trees.RemoveLast();
            }
        }
    }

    /// <summary>The tree of <paramref name="epoch"/>, or null when it has no rewards (or is not computed).</summary>
    public async Task<PayoutMerkleTree?> GetAsync(long epoch, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (PayoutMerkleTree tree in _trees)
            {
                if (tree.Epoch == (ulong)epoch)
                {
                    return tree;
                }
            }
        }

        IReadOnlyList<ProviderReward> rewards = await store.GetRewardsAsync(epoch, cancellationToken).ConfigureAwait(false);
        if (rewards.Count == 0)
        {
            return null;
        }

        PayoutMerkleTree built = PayoutTrees.Build(epoch, rewards);
        Add(built);
        return built;
    }
}
