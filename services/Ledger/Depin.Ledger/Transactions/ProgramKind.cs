namespace Depin.Ledger.Transactions;

/// <summary>The ledger's native programs.</summary>
public enum ProgramKind : byte
{
    /// <summary>From → To, Amount.</summary>
    Transfer = 1,

    /// <summary>Gateway credit of To (a regular account or the reward pool), Amount.</summary>
    Deposit = 2,

    /// <summary>Moves Amount from From (a regular account or the treasury) to the bridge account, for wallet To on chain: a withdrawal waiting for its batch.</summary>
    Withdraw = 3,

    /// <summary>Moves Amount from customer From into the escrow of Job.</summary>
    EscrowLock = 4,

    /// <summary>Pays provider To Amount − Fee, the treasury Fee, and refunds the rest of Job's escrow to its owner From.</summary>
    EscrowRelease = 5,

    /// <summary>Returns all of Job's escrow to its owner From.</summary>
    EscrowRefund = 6,

    /// <summary>Bonds Amount of From's balance as collateral.</summary>
    Stake = 7,

    /// <summary>Starts unbonding Amount of From's stake; it can be completed after the unbonding delay.</summary>
    Unstake = 8,

    /// <summary>Returns From's matured unbonding stake to its balance.</summary>
    CompleteUnstake = 9,

    /// <summary>Takes Amount of From's stake (bonded first, then unbonding) to the treasury.</summary>
    Slash = 10,

    /// <summary>Pays To Amount out of the reward pool.</summary>
    RewardCredit = 11,

    /// <summary>Creates Job's record for customer From and locks Amount (the most it pays) in it; payload: parameters hash, work units, kind, attempt budget, deadline.</summary>
    JobSubmit = 12,

    /// <summary>Leases queued Job to payload Worker of provider To until payload Until, under the next fencing token.</summary>
    JobLease = 13,

    /// <summary>Moves the lease deadline of Job to payload Until; only the leaseholder with the current token.</summary>
    JobExtend = 14,

    /// <summary>Records the result digest of Job; only the leaseholder with the current token, before the lease deadline.</summary>
    JobComplete = 15,

    /// <summary>Pays a completed (and verified) Job: provider To gets Amount − Fee, the treasury Fee, customer From the rest.</summary>
    JobSettle = 16,

    /// <summary>Ends an attempt of Job (by its leaseholder, or anyone once the lease expired): queued again, or Failed and refunded when the attempt budget is spent.</summary>
    JobFail = 17,

    /// <summary>Customer From cancels queued Job; its escrow is refunded.</summary>
    JobCancel = 18,

    /// <summary>Ends Job once its deadline passed; its escrow is refunded to customer From.</summary>
    JobExpire = 19,

    /// <summary>The leaseholder with the current token gives Job back before its lease deadline: queued again, the attempt not counted.</summary>
    JobRelease = 20,

    /// <summary>
    /// Removes the record of final Job once Amount milliseconds (the retention window) have passed since it finished, freeing
    /// its slot. Only the node forms it; no credential may submit it.
    /// </summary>
    JobPrune = 21,

    /// <summary>Removes Amount from the bridge account: a batch of withdrawals whose root is published on the Vault, claimable there.</summary>
    BridgeRelease = 22,
}
