namespace Depin.Kernels.ProofOfWork;

/// <summary>
/// <c>pow</c>: find the smallest nonce ≥ <c>startNonce</c> with SHA-256(challenge ‖ nonce as LE u64) having at least
/// <c>difficultyBits</c> leading zero bits. No input bytes. Result: <see cref="PowResult"/> (41 bytes).
/// Verified by hashing once with the platform's SHA-256.
/// </summary>
public sealed class PowKernel : Kernel<PowParameters>
{
    public const string KindName = "pow";

    public override string Kind => KindName;

    /// <summary>Expected hashes, 2^difficultyBits (difficulty is capped at <see cref="PowParameters.MaxDifficultyBits"/>).</summary>
    public override long WorkUnits(PowParameters parameters) => 1L << parameters.DifficultyBits;

    public override long MinMemoryBytes(PowParameters parameters) => 64 * 1024;

    public override byte[] Run(ComputeDevice device, PowParameters parameters, ReadOnlySpan<byte> input) =>
        device.Execute(PowAccelerated.Create, runner => runner.Search(parameters)).ToBytes();

    public override byte[] RunReference(PowParameters parameters, ReadOnlySpan<byte> input) =>
        PowReference.Search(parameters).ToBytes();

    public override VerificationOutcome Verify(PowParameters parameters, ReadOnlySpan<byte> input, ReadOnlySpan<byte> result, System.Random random)
    {
        if (!PowResult.TryParse(result, out var claimed))
        {
            return VerificationOutcome.Rejected($"result must be {PowResult.Size} bytes: status, nonce, hash");
        }

        if (!claimed.Found)
        {
            return VerificationOutcome.Rejected("no nonce found within the nonce budget");
        }

        if (claimed.Nonce - parameters.StartNonce >= (ulong)parameters.NonceBudget)
        {
            return VerificationOutcome.Rejected($"nonce {claimed.Nonce} is outside the searched range");
        }

        var hash = PowHash.Hash(parameters.ChallengeBytes(), claimed.Nonce);
        if (!hash.AsSpan().SequenceEqual(claimed.Hash))
        {
            return VerificationOutcome.Rejected("reported hash does not match SHA-256(challenge ‖ nonce)");
        }

        var zeros = PowHash.LeadingZeroBits(hash);
        return zeros >= parameters.DifficultyBits
            ? VerificationOutcome.Accepted
            : VerificationOutcome.Rejected($"hash has {zeros} leading zero bits, {parameters.DifficultyBits} required");
    }

    /// <summary>Exact: the smallest nonce is unique, so any other valid nonce means the range was not searched in order.</summary>
    public override VerificationOutcome MatchKnownAnswer(PowParameters parameters, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> result)
    {
        if (!PowResult.TryParse(result, out var claimed) || !PowResult.TryParse(expected, out var known))
        {
            return VerificationOutcome.Rejected($"result must be {PowResult.Size} bytes: status, nonce, hash");
        }

        if (claimed.Found != known.Found)
        {
            return VerificationOutcome.Rejected(known.Found ? "a nonce exists within the nonce budget" : "no nonce exists within the nonce budget");
        }

        return !known.Found || claimed.Nonce == known.Nonce
            ? VerificationOutcome.Accepted
            : VerificationOutcome.Rejected($"nonce {claimed.Nonce} is not the smallest nonce with {parameters.DifficultyBits} leading zero bits from {parameters.StartNonce}");
    }
}
