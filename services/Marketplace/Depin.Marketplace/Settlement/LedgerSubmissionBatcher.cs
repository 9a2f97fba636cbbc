using System.Diagnostics;
using System.Net;
using Depin.Contracts.Ledger;
using Depin.Marketplace.Infrastructure;
using Refit;

namespace Depin.Marketplace.Settlement;

/// <summary>
/// Combines the ledger submissions that this process's grains make at the same moment into one request. Up to
/// <see cref="MaxInFlight"/> requests are in flight; whatever is submitted while they are goes together in the next
/// one, so an idle marketplace adds no delay and a busy one sends a few large batches instead of one request per
/// transaction (the ledger group-commits them all the same). A batch the ledger refuses as a whole (a field error or a
/// forbidden program in one of its parts) is split in halves and each sent again, down to the part it refuses, so each
/// caller gets its own answer and one bad part costs a few requests, not one per part. A request sent for one caller
/// is part of that caller's trace; a combined one is a "ledger.submit-batch" span linked to every caller's trace.
/// </summary>
public sealed class LedgerSubmissionBatcher
{
    /// <summary>Requests in flight at once.</summary>
    public const int MaxInFlight = 4;

    /// <summary>The most transactions one combined request carries.</summary>
    public const int MaxTransactions = 1_000;

    private static readonly ActivitySource Tracing = new("Depin.Marketplace");

    private readonly ILedgerApi _api;
    private readonly BatchingQueue<Pending> _queue;

    public LedgerSubmissionBatcher(ILedgerApi api)
    {
        _api = api;
        // Whatever went wrong with a send, every caller in it gets an answer.
        _queue = new(MaxInFlight, MaxTransactions, p => p.Transactions.Count, SendAsync, static (batch, ex) =>
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }
        });
    }

    public Task<IReadOnlyList<ReceiptDto>> SubmitAsync(IReadOnlyList<LedgerTransactionDto> transactions, CancellationToken cancellationToken)
    {
        var pending = new Pending(transactions);
        _queue.Add(pending);
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task SendAsync(IReadOnlyList<Pending> batch)
    {
        if (batch.Count == 1)
        {
            await SendAloneAsync(batch[0]);
            return;
        }

        var transactions = new List<LedgerTransactionDto>();
        var links = new List<ActivityLink>();
        foreach (var pending in batch)
        {
            transactions.AddRange(pending.Transactions);
            if (pending.Caller is { } caller)
            {
                links.Add(new ActivityLink(caller.Context));
            }
        }

        Activity.Current = null;
        using var span = Tracing.StartActivity("ledger.submit-batch", ActivityKind.Internal, default(ActivityContext), links: links);
        span?.SetTag("depin.ledger.batch.submissions", batch.Count);
        span?.SetTag("depin.ledger.batch.transactions", transactions.Count);

        IReadOnlyList<ReceiptDto> receipts;
        try
        {
            receipts = (await _api.SubmitAsync(new SubmitTransactionsRequest(transactions), CancellationToken.None)).Receipts;
        }
        catch (ApiException ex) when (ex.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity)
        {
            var half = batch.Count / 2;
            await Task.WhenAll(SendAsync(batch.Take(half).ToArray()), SendAsync(batch.Skip(half).ToArray()));
            return;
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }

            return;
        }

        if (receipts.Count != transactions.Count)
        {
            throw new InvalidOperationException($"The ledger answered {receipts.Count} receipts for {transactions.Count} transactions.");
        }

        var at = 0;
        foreach (var pending in batch)
        {
            var own = new ReceiptDto[pending.Transactions.Count];
            for (var i = 0; i < own.Length; i++)
            {
                own[i] = receipts[at++];
            }

            pending.Completion.TrySetResult(own);
        }
    }

    private async Task SendAloneAsync(Pending pending)
    {
        Activity.Current = pending.Caller;
        try
        {
            pending.Completion.TrySetResult((await _api.SubmitAsync(new SubmitTransactionsRequest(pending.Transactions), CancellationToken.None)).Receipts);
        }
        catch (Exception ex)
        {
            pending.Completion.TrySetException(ex);
        }
    }

    private sealed class Pending(IReadOnlyList<LedgerTransactionDto> transactions)
    {
        public IReadOnlyList<LedgerTransactionDto> Transactions { get; } = transactions;

        /// <summary>The caller's span, under which a request sent for it alone runs.</summary>
        public Activity? Caller { get; } = Activity.Current;

        public TaskCompletionSource<IReadOnlyList<ReceiptDto>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
