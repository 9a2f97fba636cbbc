namespace Depin.Kernels.ProofOfWork;

/// <summary>One kernel launch: thread t tries nonces BaseNonce + t·NoncesPerThread onwards, at most Count in all.</summary>
internal readonly record struct PowSearch(
    ulong BaseNonce,
    long Count,
    int NoncesPerThread,
    int DifficultyBits,
    int RemainingBlocks,
    int NonceOffset);
