namespace Depin.Ledger.Transactions;

/// <summary>A transaction's outcome. Every failure changes nothing.</summary>
public enum ReceiptStatus : byte
{
    Success = 0,
    InsufficientFunds = 1,
    InsufficientStake = 2,
    Overflow = 3,
    InvalidAccount = 4,
    DuplicateAccount = 5,
    EscrowAlreadyExists = 6,
    EscrowNotLocked = 7,
    EscrowOwnerMismatch = 8,
    AmountExceedsEscrow = 9,
    FeeExceedsAmount = 10,
    NothingUnbonding = 11,
    UnbondingNotMatured = 12,
    InvalidAmount = 13,
    UnknownProgram = 14,
    JobAlreadyExists = 15,
    JobNotFound = 16,
    JobWrongStatus = 17,
    NotLeaseholder = 18,
    LeaseExpired = 19,
    LeaseNotExpired = 20,
    DeadlinePassed = 21,
    DeadlineNotReached = 22,
    CustomerMismatch = 23,
    ProviderMismatch = 24,
    InvalidPayload = 25,

    /// <summary>A settlement whose price or fee differs from what the job's lease agreed.</summary>
    PriceMismatch = 26,

    /// <summary>A job-prune of a record that finished less than the retention window ago.</summary>
    RetentionNotReached = 27,
}
