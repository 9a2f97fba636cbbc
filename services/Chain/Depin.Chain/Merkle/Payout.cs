namespace Depin.Chain;

/// <summary>One provider's reward for an epoch: the leaf payload of a <see cref="PayoutMerkleTree"/>.</summary>
public readonly record struct Payout(Address Account, UInt128 Amount);
