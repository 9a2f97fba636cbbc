using Depin.Chain;

namespace Depin.Rewards.Bridge;

/// <summary>The deposit bridge's durable state: cursor, recent block hashes and deposits. Every method is atomic.</summary>
public interface IBridgeStore
{
    Task<BridgeCursor?> GetCursorAsync(CancellationToken cancellationToken = default);

    /// <summary>Records a scan: the deposits found (new ones only; a sighting already kept is left as it is), the blocks read and the next block.</summary>
    Task SaveScanAsync(ulong nextBlock, IReadOnlyList<(ulong Number, Hash32 Hash)> blocks, IReadOnlyList<DepositRecord> deposits, int keepBlocks, CancellationToken cancellationToken = default);

    /// <summary>A reorg: forgets the blocks from <paramref name="fromBlock"/> on, marks the pending deposits in them orphaned and moves the cursor back.</summary>
    Task RewindAsync(ulong fromBlock, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DepositRecord>> GetPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks a pending deposit credited (or rejected, with <paramref name="reason"/>); a deposit no longer pending is left alone.</summary>
    Task CompleteAsync(Hash32 transactionHash, ulong logIndex, DepositStatus status, long? ledgerHeight, string? reason, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DepositRecord>> GetByTransactionAsync(Hash32 transactionHash, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DepositRecord>> GetByAccountAsync(Address ledgerAccount, int take, CancellationToken cancellationToken = default);
}
