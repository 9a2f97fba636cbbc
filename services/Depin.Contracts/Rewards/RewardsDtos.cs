namespace Depin.Contracts.Rewards;

/// <summary>Pub/sub topics published by the rewards service.</summary>
public static class RewardsTopics
{
    public const string EpochClosed = "rewards.epoch-closed";
}

/// <summary>Published once an epoch's rewards are credited on the ledger and its payout root is anchored (when a chain is configured). Amounts in micro-credits.</summary>
public sealed record EpochClosedEvent(
    long Epoch,
    DateTimeOffset Start,
    DateTimeOffset End,
    long Emission,
    long Distributed,
    int ProviderCount,
    string? MerkleRoot,
    string? AnchorTransaction);

/// <summary>Body of POST /api/wallets/challenges.</summary>
public sealed record WalletChallengeRequest(string? Address);

/// <summary>A message for the wallet to sign with personal_sign (EIP-191); valid once, until <paramref name="ExpiresAt"/>.</summary>
public sealed record WalletChallengeDto(string Address, string Message, string Nonce, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>Body of POST /api/wallets/verify: the challenge text as issued and the 65-byte signature as hex.</summary>
public sealed record WalletVerifyRequest(string? Address, string? Message, string? Signature);

/// <summary>A successful wallet proof.</summary>
public sealed record WalletVerifiedDto(string Address, string Nonce, DateTimeOffset VerifiedAt);

/// <summary>One epoch: its window, emission, how far its close has progressed (open, computed, credited, anchored, published) and the work units it counted.</summary>
public sealed record EpochDto(
    long Epoch,
    DateTimeOffset Start,
    DateTimeOffset End,
    string Status,
    long Emission,
    long AvailabilityPool,
    long WorkPool,
    long Distributed,
    long Unallocated,
    int ProviderCount,
    string? MerkleRoot,
    string? AnchorTransaction,
    DateTimeOffset? ClosedAt,
    long WorkUnits = 0);

/// <summary>A page of epochs, newest first.</summary>
public sealed record EpochListDto(IReadOnlyList<EpochDto> Epochs, long? NextBefore);

/// <summary>A provider's reward in one epoch (micro-credits); <paramref name="Credited"/> once it is on the provider's ledger balance.</summary>
public sealed record ProviderEpochRewardDto(long Epoch, long Availability, long Work, long Total, bool Credited);

/// <summary>
/// A provider's rewards: <paramref name="Total"/> credited on the ledger over its lifetime, <paramref name="Pending"/>
/// computed for closed epochs whose credits have not committed yet, and the per-epoch history, newest first.
/// </summary>
public sealed record ProviderRewardsDto(string Address, long Total, long Pending, IReadOnlyList<ProviderEpochRewardDto> Epochs);

/// <summary>Everything a wallet needs to call MerkleDistributor.claim(epoch, account, amount, proof).</summary>
public sealed record ClaimProofDto(
    long Epoch,
    string Account,
    string Amount,
    IReadOnlyList<string> Proof,
    string Root,
    string Leaf,
    string? Distributor,
    long? ChainId,
    bool Anchored);
