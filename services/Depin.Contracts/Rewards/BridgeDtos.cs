namespace Depin.Contracts.Rewards;

/// <summary>How to deposit: the chain, the Vault and the token, and how many confirmations a deposit waits for.</summary>
public sealed record BridgeInfoDto(
    bool Enabled,
    long? ChainId,
    string? RpcUrl,
    string? Vault,
    string? Token,
    int Confirmations,
    string UnitsPerMicroCredit,
    long? Head,
    bool DevFaucet);

/// <summary>A deposit as the platform saw it: status pending (with its confirmations so far), credited, orphaned or rejected.</summary>
public sealed record DepositDto(
    string TransactionHash,
    long LogIndex,
    long BlockNumber,
    string From,
    string LedgerAccount,
    string Amount,
    long MicroCredits,
    string Status,
    string Detail,
    int Confirmations,
    int RequiredConfirmations,
    string LedgerTransactionId,
    long? LedgerHeight,
    DateTimeOffset SeenAt,
    DateTimeOffset? CreditedAt);

public sealed record DepositListDto(IReadOnlyList<DepositDto> Deposits);

/// <summary>Development only: mint <paramref name="Credits"/> test tokens and some gas to <paramref name="Address"/>.</summary>
public sealed record DevFundRequest(string? Address, long Credits);

public sealed record DevFundDto(string Address, string TokenBalance, string GasBalance);

/// <summary>Service to bridge (admin key): withdraw <paramref name="MicroCredits"/> of <paramref name="LedgerAccount"/> to <paramref name="Wallet"/> under ledger id <paramref name="Id"/> (a UUID).</summary>
public sealed record WithdrawalRequestDto(string? Id, string? LedgerAccount, string? Wallet, long MicroCredits);

/// <summary>
/// A withdrawal: status requested, debited (waiting for a batch), claimable (its batch's root is on the Vault: claim with
/// <paramref name="Proof"/>), claimed, or refused with the ledger's reason. <paramref name="ClaimAmount"/> is the wallet's
/// total in the batch in token base units (all its withdrawals in that batch, claimed at once).
/// </summary>
public sealed record WithdrawalDto(
    string Id,
    string LedgerAccount,
    string Wallet,
    long MicroCredits,
    string Status,
    string Detail,
    long? LedgerHeight,
    long? Batch,
    string? ClaimAmount,
    IReadOnlyList<string>? Proof,
    string? Vault,
    long? ChainId,
    DateTimeOffset RequestedAt);

public sealed record WithdrawalListDto(IReadOnlyList<WithdrawalDto> Withdrawals);

/// <summary>The conservation check in token base units: Vault balance = ledger credits × 10^12 + published, unclaimed withdrawals, when <paramref name="Difference"/> is "0".</summary>
public sealed record BackingDto(long LedgerHeight, string VaultBalance, string LedgerCredits, string Unclaimed, string Difference, bool Backed);
