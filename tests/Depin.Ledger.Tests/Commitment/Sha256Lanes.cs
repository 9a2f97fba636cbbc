using Depin.Ledger.Commitment;

namespace Depin.Ledger.Tests.Commitment;

/// <summary>Runs code with SHA-256 hashed sixteen at a time (where the CPU can) or one by one; one test at a time.</summary>
internal static class Sha256Lanes
{
    public static void With(bool sixteenAtATime, Action action)
    {
        lock (typeof(Sha256x16))
        {
            var previous = Sha256x16.Enabled;
            Sha256x16.Enabled = sixteenAtATime && Sha256x16.IsSupported;
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
