namespace Depin.Kernels.ProofOfWork;

/// <summary>
/// JSON: <c>{"challenge":"hex (32..64 bytes)", "difficultyBits":…, "startNonce":0, "maxNonces":0}</c>.
/// <c>maxNonces</c> 0 means 64 times the expected number of hashes (the search then fails with probability e⁻⁶⁴).
/// </summary>
public sealed record PowParameters : IKernelParameters
{
    public const int MinChallengeBytes = 32;
    public const int MaxChallengeBytes = 64;
    public const int MaxDifficultyBits = 48;

    public string Challenge { get; init; } = "";

    public int DifficultyBits { get; init; }

    public ulong StartNonce { get; init; }

    public long MaxNonces { get; init; }

    /// <summary>Nonces searched: <see cref="MaxNonces"/> or its default.</summary>
    public long NonceBudget => MaxNonces > 0 ? MaxNonces : 1L << Math.Min(DifficultyBits + 6, 62);

    public byte[] ChallengeBytes() => Convert.FromHexString(Challenge);

    public void Validate(List<ParameterError> errors)
    {
        if (Challenge.Length % 2 != 0 || Challenge.Length < 2 * MinChallengeBytes || Challenge.Length > 2 * MaxChallengeBytes)
        {
            errors.Add(new ParameterError("challenge", $"must be {MinChallengeBytes} to {MaxChallengeBytes} bytes as hex, was {Challenge.Length} characters"));
        }
        else if (!Challenge.All(char.IsAsciiHexDigit))
        {
            errors.Add(new ParameterError("challenge", "must contain only hexadecimal digits"));
        }

        ParameterRules.InRange(errors, "difficultyBits", DifficultyBits, 1, MaxDifficultyBits);
        ParameterRules.InRange(errors, "maxNonces", MaxNonces, 0, long.MaxValue);
        if (MaxNonces > 0 && ulong.MaxValue - StartNonce < (ulong)MaxNonces)
        {
            errors.Add(new ParameterError("startNonce", "startNonce + maxNonces must not exceed 2^64"));
        }
    }
}
