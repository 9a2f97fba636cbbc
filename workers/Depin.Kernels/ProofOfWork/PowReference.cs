namespace Depin.Kernels.ProofOfWork;

/// <summary>Sequential search from <c>startNonce</c> upwards; returns the smallest qualifying nonce, as the kernel does.</summary>
public static class PowReference
{
    public static PowResult Search(PowParameters parameters)
    {
        var challenge = parameters.ChallengeBytes();
        var budget = (ulong)parameters.NonceBudget;
        for (var i = 0UL; i < budget; i++)
        {
            var nonce = parameters.StartNonce + i;
            var hash = PowHash.Hash(challenge, nonce);
            if (PowHash.LeadingZeroBits(hash) >= parameters.DifficultyBits)
            {
                return new PowResult(true, nonce, hash);
            }
        }

        return new PowResult(false, 0, new byte[32]);
    }
}
