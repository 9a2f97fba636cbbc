namespace Depin.Contracts.Ledger;

/// <summary>
/// A ledger transaction as submitted over REST. Amounts are integer micro-credits.
/// Program names: transfer, deposit, withdraw, escrow-lock, escrow-release, escrow-refund, stake, unstake,
/// complete-unstake, slash, reward-credit. Ids are UUIDs chosen by the submitter (idempotency keys).
/// </summary>
public sealed record LedgerTransactionDto(
    string Id,
    string Program,
    string? From = null,
    string? To = null,
    long? Amount = null,
    long? Fee = null,
    string? Job = null);

/// <summary>A batch of transactions; all are validated before any is queued.</summary>
public sealed record SubmitTransactionsRequest(IReadOnlyList<LedgerTransactionDto> Transactions);

/// <summary>The outcome of one transaction: committed (durably) at a height, with a status name ("success" or a failure reason).</summary>
public sealed record ReceiptDto(string Id, long Height, int Index, string Status, bool Succeeded);

/// <summary>Receipts in the order of the request.</summary>
public sealed record SubmitTransactionsResponse(IReadOnlyList<ReceiptDto> Receipts);

/// <summary>An account at the latest committed height.</summary>
public sealed record AccountDto(
    string Address,
    long Balance,
    long Staked,
    long Unbonding,
    long UnbondingReleaseHeight,
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

/// <summary>Well-known ledger account addresses.</summary>
public static class LedgerAccounts
{
    public const string Treasury = "0x0000000000000000000000000000000000000001";
    public const string RewardPool = "0x0000000000000000000000000000000000000002";
}
