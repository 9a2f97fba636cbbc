using Depin.Chain;

namespace Depin.Rewards.Bridge;

/// <summary><see cref="IBridgeStore"/> in process memory, for a platform without PostgreSQL (lost on restart, like its in-memory epochs).</summary>
public sealed partial class InMemoryBridgeStore : IBridgeStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<ulong, Hash32> _blocks = [];
    private readonly Dictionary<(Hash32, ulong), DepositRecord> _deposits = [];
    private ulong? _next;

    public Task<BridgeCursor?> GetCursorAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_next is { } next ? new BridgeCursor(next, [.. _blocks.Select(b => (b.Key, b.Value))]) : null);
        }
    }

    public Task SaveScanAsync(ulong nextBlock, IReadOnlyList<(ulong Number, Hash32 Hash)> blocks, IReadOnlyList<DepositRecord> deposits, int keepBlocks, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach ((ulong number, Hash32 hash) in blocks)
            {
                _blocks[number] = hash;
            }

            foreach (DepositRecord deposit in deposits)
            {
                (Hash32, ulong) key = (deposit.TransactionHash, deposit.LogIndex);
                if (!_deposits.TryGetValue(key, out DepositRecord? kept) || kept.Status == DepositStatus.Orphaned)
                {
                    _deposits[key] = deposit;
                }
            }

            while (_blocks.Count > keepBlocks)
            {
                _blocks.Remove(_blocks.Keys.First());
            }

            _next = nextBlock;
        }

        return Task.CompletedTask;
    }

    public Task RewindAsync(ulong fromBlock, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (ulong number in _blocks.Keys.Where(n => n >= fromBlock).ToList())
            {
                _blocks.Remove(number);
            }

            foreach ((var key, DepositRecord deposit) in _deposits.ToList())
            {
                if (deposit.Status == DepositStatus.Pending && deposit.BlockNumber >= fromBlock)
                {
                    _deposits[key] = deposit with { Status = DepositStatus.Orphaned, Reason = $"block {deposit.BlockNumber} left the canonical chain" };
                }
            }

            _next = _next is { } next ? Math.Min(next, fromBlock) : fromBlock;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DepositRecord>> GetPendingAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DepositRecord>>([.. _deposits.Values.Where(d => d.Status == DepositStatus.Pending).OrderBy(d => d.BlockNumber).ThenBy(d => d.LogIndex)]);
        }
    }

    public Task CompleteAsync(Hash32 transactionHash, ulong logIndex, DepositStatus status, long? ledgerHeight, string? reason, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_deposits.TryGetValue((transactionHash, logIndex), out DepositRecord? deposit) && deposit.Status == DepositStatus.Pending)
            {
                _deposits[(transactionHash, logIndex)] = deposit with { Status = status, LedgerHeight = ledgerHeight, Reason = reason, CreditedAt = at };
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DepositRecord>> GetByTransactionAsync(Hash32 transactionHash, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DepositRecord>>([.. _deposits.Values.Where(d => d.TransactionHash == transactionHash).OrderBy(d => d.LogIndex)]);
        }
    }

    public Task<IReadOnlyList<DepositRecord>> GetByAccountAsync(Address ledgerAccount, int take, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DepositRecord>>([.. _deposits.Values.Where(d => d.LedgerAccount == ledgerAccount)
                .OrderByDescending(d => d.BlockNumber).ThenByDescending(d => d.LogIndex).Take(take)]);
        }
    }
}
