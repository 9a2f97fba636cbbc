namespace Depin.Contracts.Ledger;

/// <summary>
/// A ledger transaction as submitted over REST. Amounts are integer micro-credits.
/// Program names: transfer, deposit, withdraw, escrow-lock, escrow-release, escrow-refund, stake, unstake,
/// complete-unstake, slash, reward-credit, and the job programs job-submit, job-lease, job-extend, job-complete,
/// job-settle, job-fail, job-cancel, job-expire, job-release. Ids are UUIDs chosen by the submitter (idempotency keys).
/// The job programs' payload: <paramref name="Digest"/> (hex SHA-256: parameters at submit, result at complete),
/// <paramref name="Worker"/> (UUID), <paramref name="Token"/> (fencing token), <paramref name="Until"/> (Unix ms: the
/// job's deadline at submit, the lease deadline at lease and extend), <paramref name="WorkUnits"/>, <paramref name="Kind"/>
/// (0..255) and <paramref name="MaxAttempts"/> (1..255).
/// </summary>
public sealed record LedgerTransactionDto(
    string Id,
    string Program,
    string? From = null,
    string? To = null,
    long? Amount = null,
    long? Fee = null,
    string? Job = null,
    string? Digest = null,
    string? Worker = null,
    long? Token = null,
    long? Until = null,
    long? WorkUnits = null,
    int? Kind = null,
    int? MaxAttempts = null);

/// <summary>A batch of transactions; all are validated before any is queued.</summary>
public sealed record SubmitTransactionsRequest(IReadOnlyList<LedgerTransactionDto> Transactions);

/// <summary>
/// The outcome of one transaction: committed (durably) at a height, with a status name ("success" or a failure reason).
/// <paramref name="Repeated"/>: the id had committed before the request that answers with this receipt arrived (a retry,
/// or the same step taken twice), so this request changed nothing.
/// </summary>
public sealed record ReceiptDto(string Id, long Height, int Index, string Status, bool Succeeded, bool Repeated = false);

/// <summary>Receipts in the order of the request.</summary>
public sealed record SubmitTransactionsResponse(IReadOnlyList<ReceiptDto> Receipts);

/// <summary>Every credit on the ledger at <paramref name="Height"/> (micro-credits, as a decimal string: the sum can exceed a long) and the bridge account's part (withdrawals not yet published on chain).</summary>
public sealed record LedgerSupplyDto(long Height, string Total, long Bridge);

/// <summary>An account at the latest committed height.</summary>
public sealed record AccountDto(
    string Address,
    long Balance,
    long Staked,
    long Unbonding,
    long UnbondingReleaseMs,
    string? EscrowOwner,
    string Escrow,
    long Height);

/// <summary>A committed block header.</summary>
public sealed record BlockDto(
    long Height,
    string Hash,
    string PreviousHash,
    string StateRoot,
    string ReceiptsRoot,
    DateTimeOffset Timestamp,
    int TransactionCount,
    IReadOnlyList<ReceiptDto> Receipts);

/// <summary>A Merkle inclusion proof of an account against the state root of a height.</summary>
public sealed record AccountProofDto(
    long Height,
    string StateRoot,
    AccountDto Account,
    string LeafHash,
    int Slot,
    IReadOnlyList<string> Siblings);

/// <summary>
/// A job record in the ledger state. Amounts are micro-credits; times are block timestamps. Status: queued, leased,
/// completed, settled, failed, cancelled or expired (the last four final, with the escrow paid out or refunded).
/// </summary>
public sealed record JobRecordDto(
    string Job,
    string Status,
    string Customer,
    string? Provider,
    string? Worker,
    int Kind,
    string ParamsHash,
    string? ResultDigest,
    long WorkUnits,
    long MaxPrice,
    long Escrow,
    long Price,
    long Fee,
    long FencingToken,
    int Attempt,
    int MaxAttempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset Deadline,
    DateTimeOffset? LeaseDeadline,
    DateTimeOffset? FinishedAt,
    long Height);

/// <summary>A Merkle inclusion proof of a job record against the state root of a height (the index's bits give the path).</summary>
public sealed record JobProofDto(long Height, string StateRoot, JobRecordDto Record, string LeafHash, long Index, IReadOnlyList<string> Siblings);

/// <summary>
/// One job transaction in a job's history: the program, its receipt (a failure names its reason), the block that
/// committed it and that block's timestamp, and what it carried (account, amount and fee, worker, fencing token, time,
/// code, digest), as submitted.
/// </summary>
public sealed record JobEventDto(
    string Transaction,
    string Program,
    string Status,
    bool Succeeded,
    long Height,
    int Index,
    DateTimeOffset At,
    string? Account,
    long Amount,
    long Fee,
    string? Worker,
    long Token,
    DateTimeOffset? Until,
    int Code,
    string? Digest);

/// <summary>A job's history as the ledger holds it: every job transaction, and the record (null when none was created).</summary>
public sealed record JobHistoryDto(string Job, JobRecordDto? Record, IReadOnlyList<JobEventDto> Events, long Height);

/// <summary>
/// Job records, newest first; pass <paramref name="Next"/> as <c>before</c> for the next page (null on the last).
/// <paramref name="Total"/> counts the account's jobs in the index.
/// </summary>
public sealed record JobPageDto(IReadOnlyList<JobRecordDto> Jobs, int? Next, int Total, long Height);

/// <summary>
/// Jobs that finished within a time window (block times), in the order they finished; <paramref name="Next"/> continues
/// the page. No block can still commit before <paramref name="CompleteBefore"/>: a window ending by then is complete.
/// </summary>
public sealed record FinishedJobsDto(IReadOnlyList<JobRecordDto> Jobs, int? Next, long Height, DateTimeOffset CompleteBefore);

/// <summary>Ids of jobs whose ledger record is not final, at a height.</summary>
public sealed record OpenJobsDto(IReadOnlyList<string> Jobs, long Height);

/// <summary>Well-known ledger account addresses.</summary>
public static class LedgerAccounts
{
    public const string Treasury = "0x0000000000000000000000000000000000000001";
    public const string RewardPool = "0x0000000000000000000000000000000000000002";
}
