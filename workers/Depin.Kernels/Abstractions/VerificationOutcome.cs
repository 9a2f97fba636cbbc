namespace Depin.Kernels;

/// <summary>The verdict of a verifier on a worker's result; <see cref="Reason"/> explains a rejection.</summary>
public sealed record VerificationOutcome(bool Ok, string? Reason)
{
    public static VerificationOutcome Accepted { get; } = new(true, null);

    public static VerificationOutcome Rejected(string reason) => new(false, reason);
}
