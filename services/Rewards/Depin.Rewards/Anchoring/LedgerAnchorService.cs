using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Rewards.Anchoring;

/// <summary>
/// Records the ledger's state root on chain every <see cref="AnchoringSettings.EveryBlocks"/> blocks: each poll reads the
/// head and the contract's latest anchored height, and anchors the head when it is far enough ahead. The contract is the
/// source of truth, so restarts and reruns never anchor a height twice.
/// </summary>
public sealed partial class LedgerAnchorService(
    ILedgerHeadSource heads,
    IStateAnchorSink sink,
    IOptions<RewardsOptions> options,
    TimeProvider time,
    ILogger<LedgerAnchorService> logger) : BackgroundService
{
    /// <summary>One check; returns the anchored height, or null when nothing was due.</summary>
    public async Task<long?> AnchorIfDueAsync(CancellationToken cancellationToken = default)
    {
        if (!sink.IsEnabled || await heads.GetHeadAsync(cancellationToken).ConfigureAwait(false) is not { } head)
        {
            return null;
        }

        long every = Math.Max(1, options.Value.Anchoring.EveryBlocks);
        long last = await sink.LatestAnchoredHeightAsync(cancellationToken).ConfigureAwait(false);
        if (head.Height < last + every)
        {
            return null;
        }

        string tx = await sink.AnchorAsync(head.Height, head.StateRoot, cancellationToken).ConfigureAwait(false);
        LogAnchored(head.Height, head.StateRoot.ToString(), tx);
        return head.Height;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!sink.IsEnabled)
        {
            LogDisabled();
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Anchoring.PollInterval, time);
        do
        {
            try
            {
                await AnchorIfDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Anchored ledger height {Height} state root {StateRoot} in transaction {Transaction}")]
    private partial void LogAnchored(long height, string stateRoot, string transaction);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger state anchoring is off: no chain RPC URL / signer / StateAnchor address configured (Rewards:Chain)")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger state anchoring failed; retrying at the next poll")]
    private partial void LogFailed(Exception exception);
}
