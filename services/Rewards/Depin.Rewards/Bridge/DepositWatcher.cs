using System.Numerics;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Rewards.Anchoring;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Rewards.Bridge;

/// <summary>
/// Follows the Vault's Deposited logs and credits each deposit on the ledger once it has
/// <see cref="BridgeOptions.Confirmations"/> confirmations. The ledger transaction id is derived from (chain id,
/// transaction hash, log index), so a credit retried after a crash is the same ledger transaction and lands once. The
/// cursor, the recent block hashes and the deposits it saw are durable; at every poll it compares the kept hashes with
/// the chain's, and a block that changed rewinds the cursor and orphans the pending deposits in it.
/// </summary>
public sealed partial class DepositWatcher(
    RewardsChain chain, IBridgeStore store, ILedgerClient ledger, IOptions<BridgeOptions> options, TimeProvider time, ILogger<DepositWatcher> logger)
    : BackgroundService
{
    private ulong? _chainId;
    private long _head = -1;

    /// <summary>Whether a vault is configured to watch.</summary>
    public bool Enabled => chain.Vault is not null;

    /// <summary>The chain head at the last poll, or null before the first.</summary>
    public ulong? Head => Interlocked.Read(ref _head) is >= 0 and var head ? (ulong)head : null;

    public int Confirmations => Math.Max(1, options.Value.Confirmations);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled || !options.Value.RunWatcher)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            try
            {
                await PollAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One round: reorg check, scan of new blocks, credit of deposits that have their confirmations. Returns how many it credited.</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken = default)
    {
        IChainClient client = chain.Client ?? throw new InvalidOperationException("Rewards:Chain is not configured.");
        VaultContract vault = chain.Vault ?? throw new InvalidOperationException("Rewards:Chain:VaultAddress is not configured.");
        _chainId ??= await client.GetChainIdAsync(cancellationToken).ConfigureAwait(false);
        ulong head = await client.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _head, (long)head);

        BridgeCursor cursor = await store.GetCursorAsync(cancellationToken).ConfigureAwait(false) ?? new BridgeCursor(options.Value.StartBlock, []);
        if (await FindReorgAsync(client, cursor, head, cancellationToken).ConfigureAwait(false) is { } changedFrom)
        {
            LogReorg(changedFrom, head);
            await store.RewindAsync(changedFrom, cancellationToken).ConfigureAwait(false);
            cursor = await store.GetCursorAsync(cancellationToken).ConfigureAwait(false) ?? new BridgeCursor(changedFrom, []);
        }

        if (cursor.NextBlock <= head)
        {
            await ScanAsync(client, vault, cursor.NextBlock, Math.Min(head, cursor.NextBlock + (ulong)Math.Max(1, options.Value.MaxBlocksPerScan) - 1), cancellationToken).ConfigureAwait(false);
        }

        return await CreditConfirmedAsync(client, head, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ulong?> FindReorgAsync(IChainClient client, BridgeCursor cursor, ulong head, CancellationToken cancellationToken)
    {
        ulong? changedFrom = null;
        foreach ((ulong number, Hash32 hash) in cursor.RecentBlocks.OrderByDescending(b => b.Number))
        {
            BlockHeader? current = number <= head ? await client.GetBlockAsync(number, cancellationToken).ConfigureAwait(false) : null;
            if (current is not null && current.Hash == hash)
            {
                break;
            }

            changedFrom = number;
        }

        return changedFrom;
    }

    private async Task ScanAsync(IChainClient client, VaultContract vault, ulong from, ulong to, CancellationToken cancellationToken)
    {
        IReadOnlyList<VaultDeposit> found = await vault.GetDepositsAsync(from, to, cancellationToken).ConfigureAwait(false);
        BlockHeader tip = await client.GetBlockAsync(to, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Block {to} vanished while scanning.");
        var blocks = new Dictionary<ulong, Hash32> { [to] = tip.Hash };
        foreach (VaultDeposit deposit in found)
        {
            if (blocks.TryGetValue(deposit.Log.BlockNumber, out Hash32 known) && known != deposit.Log.BlockHash)
            {
                // The chain moved between the log query and the header read; scan again next round.
                return;
            }

            blocks[deposit.Log.BlockNumber] = deposit.Log.BlockHash;
        }

        DateTimeOffset now = time.GetUtcNow();
        var records = new List<DepositRecord>(found.Count);
        foreach (VaultDeposit d in found)
        {
            BigInteger micro = d.Amount / VaultContract.UnitsPerMicroCredit;
            bool fits = micro <= long.MaxValue && d.Amount % VaultContract.UnitsPerMicroCredit == 0;
            records.Add(new DepositRecord(
                d.Log.TransactionHash,
                d.Log.LogIndex,
                d.Log.BlockNumber,
                d.Log.BlockHash,
                d.From,
                d.LedgerAccount,
                d.Amount,
                fits ? (long)micro : 0,
                fits ? DepositStatus.Pending : DepositStatus.Rejected,
                BridgeIds.Deposit(_chainId!.Value, d.Log.TransactionHash, d.Log.LogIndex),
                null,
                fits ? null : "the amount is not a whole number of micro-credits within the ledger's range",
                now,
                null));
            LogSeen(d.Amount, d.LedgerAccount, d.Log.TransactionHash, d.Log.BlockNumber);
        }

        await store.SaveScanAsync(to + 1, [.. blocks.Select(b => (b.Key, b.Value))], records, Confirmations * 4 + 64, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> CreditConfirmedAsync(IChainClient client, ulong head, CancellationToken cancellationToken)
    {
        int credited = 0;
        foreach (DepositRecord deposit in await store.GetPendingAsync(cancellationToken).ConfigureAwait(false))
        {
            if (head + 1 < deposit.BlockNumber + (ulong)Confirmations)
            {
                continue;
            }

            BlockHeader? header = await client.GetBlockAsync(deposit.BlockNumber, cancellationToken).ConfigureAwait(false);
            if (header is null || header.Hash != deposit.BlockHash)
            {
                LogReorg(deposit.BlockNumber, head);
                await store.RewindAsync(deposit.BlockNumber, cancellationToken).ConfigureAwait(false);
                break;
            }

            ReceiptDto receipt = (await ledger.SubmitAsync(
                [new LedgerTransactionDto(deposit.LedgerTransactionId, "deposit", To: deposit.LedgerAccount.ToLowerHex(), Amount: deposit.MicroCredits)],
                cancellationToken).ConfigureAwait(false))[0];
            ServiceDefaults.Testing.FaultPoints.Reached(ServiceDefaults.Testing.FaultPoints.DepositCredited);
            DepositStatus status = receipt.Succeeded ? DepositStatus.Credited : DepositStatus.Rejected;
            await store.CompleteAsync(deposit.TransactionHash, deposit.LogIndex, status, receipt.Height, receipt.Succeeded ? null : receipt.Status, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (receipt.Succeeded)
            {
                credited++;
                LogCredited(deposit.MicroCredits, deposit.LedgerAccount, deposit.TransactionHash, receipt.Height);
            }
            else
            {
                LogRejected(deposit.TransactionHash, deposit.LogIndex, receipt.Status);
            }
        }

        return credited;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deposit of {Amount} base units for {Account} seen in {Transaction} (block {Block})")]
    private partial void LogSeen(BigInteger amount, Address account, Hash32 transaction, ulong block);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deposit credited: {MicroCredits} micro-credits to {Account} from {Transaction} at ledger height {Height}")]
    private partial void LogCredited(long microCredits, Address account, Hash32 transaction, long height);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deposit {Transaction}#{LogIndex} refused by the ledger: {Status}")]
    private partial void LogRejected(Hash32 transaction, ulong logIndex, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chain reorganised from block {Block} (head {Head}): rescanning; pending deposits there are orphaned")]
    private partial void LogReorg(ulong block, ulong head);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deposit watcher poll failed; retrying")]
    private partial void LogPollFailed(Exception exception);
}
