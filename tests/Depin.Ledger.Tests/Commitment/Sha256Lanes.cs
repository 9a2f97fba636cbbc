using Depin.Ledger.Commitment;

namespace Depin.Ledger.Tests.Commitment;

/// <summary>Runs code with SHA-256 hashed sixteen at a time or one by one; one test at a time.</summary>
internal static class Sha256Lanes
{
    /// <summary>The paths this CPU has: one by one always, sixteen at a time with AVX-512 (so no case runs the other path under its name).</summary>
    public static IEnumerable<bool> Paths => Sha256x16.IsSupported ? [true, false] : [false];

    /// <summary>Sixteen at a time where the CPU can, else one by one.</summary>
    public static bool Fastest => Sha256x16.IsSupported;

    public static void With(bool sixteenAtATime, Action action)
    {
        if (sixteenAtATime && !Sha256x16.IsSupported)
        {
            throw new InvalidOperationException("This CPU has no AVX-512: hashing sixteen at a time cannot run here.");
        }

        lock (typeof(Sha256x16))
        {
            var previous = Sha256x16.Enabled;
            Sha256x16.Enabled = sixteenAtATime;
            try
            {
                action();
            }
            finally
            {
                Sha256x16.Enabled = previous;
            }
        }
    }
}
