using Depin.Chain;
using Depin.Ledger.Node;

namespace Depin.Rewards.Anchoring;

/// <summary>
/// <see cref="ILedgerHeadSource"/> on an in-process <see cref="LedgerNode"/> (the all-in-one host): follows its
/// BlockCommitted event, and reads the latest durable block header (consistent height and root) whenever the node is
/// ahead of the last event seen: before the first event, and in the moment between a commit and its event.
/// </summary>
public sealed class LedgerNodeHeadSource : ILedgerHeadSource, IDisposable
{
    private readonly LedgerNode _node;
    private readonly Lock _lock = new();
    private LedgerHead? _head;

    public LedgerNodeHeadSource(LedgerNode node)
    {
        _node = node;
        _node.BlockCommitted += OnCommitted;
    }

    public ValueTask<LedgerHead?> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var height = _node.Height;
            if (height > (_head?.Height ?? 0) && _node.GetBlock(height) is { } block)
            {
                _head = new LedgerHead(block.Header.Height, new Hash32(block.Header.StateRoot.ToArray()));
            }

            return ValueTask.FromResult(_head);
        }
    }

    public void Dispose() => _node.BlockCommitted -= OnCommitted;

    private void OnCommitted(CommittedBlock block)
    {
        var head = new LedgerHead(block.Header.Height, new Hash32(block.Header.StateRoot.ToArray()));
        lock (_lock)
        {
            if (_head is null || head.Height > _head.Value.Height)
            {
                _head = head;
            }
        }
    }
}
