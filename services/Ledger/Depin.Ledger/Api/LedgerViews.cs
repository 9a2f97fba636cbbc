using Depin.Contracts.Ledger;
using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Node;
using Depin.Ledger.Storage;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Api;

/// <summary>Domain → wire mapping.</summary>
public static class LedgerViews
{
    public static ReceiptDto ToDto(this Receipt receipt) =>
        new(receipt.Id.ToString(), receipt.Height, receipt.Index, receipt.Status.Name(), receipt.Succeeded);

    /// <summary>A receipt answering a submission that arrived when <paramref name="committedHeight"/> was the latest height: at or below it, the transaction had committed before.</summary>
    public static ReceiptDto ToDto(this Receipt receipt, long committedHeight) =>
        new(receipt.Id.ToString(), receipt.Height, receipt.Index, receipt.Status.Name(), receipt.Succeeded, Repeated: receipt.Height <= committedHeight);

    public static AccountDto ToDto(this AccountState state, AccountId id, long height) => new(
        id.ToString(),
        state.Balance,
        state.Staked,
        state.Unbonding,
        state.UnbondingReleaseMs,
        state.EscrowOwner.IsZero ? null : state.EscrowOwner.ToString(),
        state.Escrow.ToString().ToLowerInvariant(),
        height);

    public static BlockDto ToDto(this CommittedBlock block, StoredBlock stored)
    {
        var receipts = new ReceiptDto[stored.Transactions.Length];
        for (var i = 0; i < receipts.Length; i++)
        {
            receipts[i] = new Receipt(stored.Transactions[i].Id, block.Header.Height, i, stored.Statuses[i]).ToDto();
        }

        return new BlockDto(
            block.Header.Height,
            block.Hash.ToString(),
            block.Header.PreviousHash.ToString(),
            block.Header.StateRoot.ToString(),
            block.Header.ReceiptsRoot.ToString(),
            DateTimeOffset.FromUnixTimeMilliseconds(block.Header.TimestampMs),
            block.Header.TransactionCount,
            receipts);
    }

    public static JobRecordDto ToDto(this Jobs.JobRecord job, TxId id, long height) => new(
        id.Value.ToString("D"),
        job.Status.ToString().ToLowerInvariant(),
        job.Customer.ToString(),
        job.Provider.IsZero ? null : job.Provider.ToString(),
        job.Worker.IsEmpty ? null : job.Worker.Value.ToString("D"),
        job.Kind,
        job.ParamsHash.ToString(),
        job.ResultDigest.IsZero ? null : job.ResultDigest.ToString(),
        job.WorkUnits,
        job.MaxPrice,
        job.Escrow,
        job.Price,
        job.Fee,
        job.FencingToken,
        job.Attempt,
        job.MaxAttempts,
        DateTimeOffset.FromUnixTimeMilliseconds(job.CreatedAt),
        DateTimeOffset.FromUnixTimeMilliseconds(job.Deadline),
        job.LeaseDeadline == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(job.LeaseDeadline),
        job.FinishedAt == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(job.FinishedAt),
        height);

    /// <summary>Null when the ledger has neither a record nor a transaction of the job.</summary>
    public static JobHistoryDto? ToDto(this (Jobs.JobRecord Record, Jobs.JobHistoryEntry[] Events, long Height) history, TxId id)
    {
        if (history.Record.IsEmpty && history.Events.Length == 0)
        {
            return null;
        }

        var events = new JobEventDto[history.Events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            var (e, tx, at) = history.Events[i];
            var account = tx.Program == ProgramKind.JobLease ? tx.To : tx.From;
            events[i] = new JobEventDto(
                tx.Id.ToString(),
                tx.Program.Name(),
                e.Status.Name(),
                e.Status == ReceiptStatus.Success,
                e.Height,
                e.Index,
                DateTimeOffset.FromUnixTimeMilliseconds(at),
                account.IsZero ? null : account.ToString(),
                tx.Amount,
                tx.Fee,
                tx.Payload.Worker.IsEmpty ? null : tx.Payload.Worker.Value.ToString("D"),
                tx.Payload.Token,
                tx.Payload.Until == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(tx.Payload.Until),
                tx.Payload.Kind,
                tx.Payload.Digest.IsZero ? null : tx.Payload.Digest.ToString());
        }

        return new JobHistoryDto(id.Value.ToString("D"), history.Record.IsEmpty ? null : history.Record.ToDto(id, history.Height), events, history.Height);
    }

    public static FinishedJobsDto ToDto(this Jobs.FinishedJobsPage page) =>
        new([.. page.Jobs.Select(j => j.Record.ToDto(j.Id, page.Height))], page.Next, page.Height, DateTimeOffset.FromUnixTimeMilliseconds(page.CompleteBeforeMs));

    public static JobPageDto ToDto(this Jobs.JobPage page) =>
        new([.. page.Jobs.Select(j => j.Record.ToDto(j.Id, page.Height))], page.Next, page.Total, page.Height);

    public static JobProofDto ToDto(this JobProof proof) => new(
        proof.Height,
        proof.StateRoot.ToString(),
        proof.Record.ToDto(proof.Job, proof.Height),
        StateTree.LeafHash(proof.Job, proof.Record).ToString(),
        proof.Index,
        proof.Siblings.Select(s => s.ToString()).ToArray());

    public static AccountProofDto ToDto(this AccountProof proof) => new(
        proof.Height,
        proof.StateRoot.ToString(),
        proof.State.ToDto(proof.Account, proof.Height),
        StateTree.LeafHash(proof.Account, proof.State).ToString(),
        proof.Slot,
        proof.Siblings.Select(s => s.ToString()).ToArray());
}
