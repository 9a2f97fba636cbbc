namespace Depin.Ledger.Transactions;

/// <summary>The ledger's native programs.</summary>
public enum ProgramKind : byte
{
    /// <summary>From → To, Amount.</summary>
    Transfer = 1,

    /// <summary>Gateway credit of To (a regular account or the reward pool), Amount.</summary>
    Deposit = 2,

    /// <summary>Gateway debit of From (a regular account or the treasury), Amount.</summary>
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
}
