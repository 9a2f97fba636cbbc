using System.Collections.Frozen;
using System.Globalization;
using Depin.Kernels.Mandelbrot;
using Depin.Kernels.MatMul;
using Depin.Kernels.MonteCarlo;
using Depin.Kernels.ProofOfWork;

namespace Depin.Marketplace.Canaries;

/// <summary>
/// Parameters of a canary job: drawn like a customer's (the sizes, precisions and defaults people send), never a fixed
/// set a worker could learn, and small enough that the platform computes the reference answer in a moment.
/// </summary>
public static class CanaryParameters
{
    private static readonly (double X, double Y)[] Regions = [(-0.5, 0), (-0.743643, 0.131825), (-1.25066, 0.02012), (-0.1011, 0.9563), (0.2821, 0.01)];

    /// <summary>How canaries draw parameters, per kind they know.</summary>
    private static readonly FrozenDictionary<string, Func<Random, string>> Draws = new Dictionary<string, Func<Random, string>>
    {
        [PowKernel.KindName] = random => Format(
            $$"""{"challenge":"{{Convert.ToHexStringLower(RandomBytes(random, 32))}}","difficultyBits":{{random.Next(12, 17)}}}"""),
        [MatMulKernel.KindName] = random => Format(
            $$"""{"m":{{Pick(random, 64, 96, 128, 192, 256)}},"n":{{Pick(random, 64, 96, 128, 192, 256)}},"k":{{Pick(random, 64, 128, 256)}},"seed":{{random.NextInt64(1, 1L << 53)}}}"""),
        [MandelbrotKernel.KindName] = Mandelbrot,
        [MonteCarloKernel.KindName] = MonteCarlo,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether canaries know how to draw parameters for <paramref name="kind"/>.</summary>
    public static bool Covers(string kind) => Draws.ContainsKey(kind);

    /// <summary>JSON parameters for <paramref name="kind"/>; null for a kind canaries do not know.</summary>
    public static string? For(string kind, Random random) => Draws.TryGetValue(kind, out var draw) ? draw(random) : null;

    private static string Mandelbrot(Random random)
    {
        var (x, y) = Regions[random.Next(Regions.Length)];
        var side = Pick(random, 128, 160, 192, 256);
        return Format($$"""{"width":{{side}},"height":{{side}},"centerX":{{x}},"centerY":{{y}},"spanX":{{Pick(random, 3.0, 0.5, 0.05, 0.01)}},"maxIterations":{{Pick(random, 256, 500, 1000)}}}""");
    }

    private static string MonteCarlo(Random random)
    {
        var s0 = random.Next(50, 151);
        var strike = Math.Round(s0 * (0.8 + (0.4 * random.NextDouble())));
        return Format(
            $$"""{"optionType":"{{(random.Next(2) == 0 ? "call" : "put")}}","s0":{{s0}},"strike":{{strike}},"rate":{{Math.Round(random.NextDouble() * 0.05, 3)}},"sigma":{{Math.Round(0.1 + (random.NextDouble() * 0.4), 2)}},"maturity":{{Pick(random, 0.25, 0.5, 1.0, 2.0)}},"paths":{{Pick(random, 65536, 131072, 262144)}},"seed":{{random.NextInt64(1, 1L << 53)}}}""");
    }

    private static T Pick<T>(Random random, params T[] values) => values[random.Next(values.Length)];

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Format(FormattableString json) => json.ToString(CultureInfo.InvariantCulture);
}
