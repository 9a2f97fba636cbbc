using Depin.Contracts.Events;
using Depin.ServiceDefaults.Eventing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Depin.Ledger.Node;

/// <summary>
/// Publishes the ledger's head on <see cref="Topics.BlockCommitted"/> (for the rewards service's anchoring), at most
/// every <see cref="Interval"/>: subscribers keep the highest head they saw, so a head stands for every block below it.
/// </summary>
internal sealed partial class BlockHeadPublisher(LedgerNode node, IEventPublisher events, ILogger<BlockHeadPublisher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly SemaphoreSlim _signal = new(0, 1);
    private CommittedBlock? _latest;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        node.BlockCommitted += OnCommitted;
        try
        {
            long published = 0;
            while (!stoppingToken.IsCancellationRequested)
            {
                await _signal.WaitAsync(stoppingToken).ConfigureAwait(false);
                if (Volatile.Read(ref _latest) is not { } block || block.Header.Height <= published)
                {
                    continue;
                }

                try
                {
                    await events.PublishAsync(Topics.BlockCommitted, new BlockCommittedEvent(
                        block.Header.Height, block.Hash.ToString(), block.Header.StateRoot.ToString(), block.Header.TransactionCount,
                        DateTimeOffset.FromUnixTimeMilliseconds(block.Header.TimestampMs)), stoppingToken).ConfigureAwait(false);
                    published = block.Header.Height;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPublishFailed(block.Header.Height, ex);
                }

                await Task.Delay(Interval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            node.BlockCommitted -= OnCommitted;
        }
    }

    private void OnCommitted(CommittedBlock block)
    {
        Volatile.Write(ref _latest, block);
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the ledger head at height {Height} failed; the next block retries")]
    private partial void LogPublishFailed(long height, Exception exception);
}
