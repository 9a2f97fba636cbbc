using Depin.Chain;
using Depin.Contracts.Events;

namespace Depin.Rewards.Anchoring;

/// <summary>The ledger's latest committed block: height and state root.</summary>
public readonly record struct LedgerHead(long Height, Hash32 StateRoot);

/// <summary>Where the anchoring service watches the ledger head.</summary>
public interface ILedgerHeadSource
{
    /// <summary>The latest committed head, or null before the first block.</summary>
    ValueTask<LedgerHead?> GetHeadAsync(CancellationToken cancellationToken = default);
}

/// <summary><see cref="ILedgerHeadSource"/> fed with <see cref="BlockCommittedEvent"/>s (pub/sub or an in-process ledger); keeps the highest seen.</summary>
public sealed class BlockCommittedHeadSource : ILedgerHeadSource
{
    private readonly Lock _lock = new();
    private LedgerHead? _head;

    /// <summary>Records a committed block; older or duplicate events (redelivery) are ignored.</summary>
    public void Observe(BlockCommittedEvent block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (!Hash32.TryParse(block.StateRoot, out Hash32 root))
        {
            return;
        }

        lock (_lock)
        {
            if (_head is null || block.Height > _head.Value.Height)
            {
                _head = new LedgerHead(block.Height, root);
            }
        }
    }

    public ValueTask<LedgerHead?> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_head);
        }
    }
}
