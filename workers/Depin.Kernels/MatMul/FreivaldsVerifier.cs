namespace Depin.Kernels.MatMul;

/// <summary>
/// Freivalds' check of C = A·B in O(n²) per round: for a random ±1 vector x, A(Bx) must equal Cx.
/// A single wrong element of C shifts (Cx)_i by exactly its error, so it is caught in every round once it exceeds
/// the tolerance; errors spread over a row cancel with probability at most 1/2 per round.
/// </summary>
/// <remarks>
/// Tolerance of row i: float32 rounding of a length-K dot product grows like u·√K·Σ|a·b| (u = 2⁻²⁴, errors in
/// quadrature); summed over the row with random signs it is bounded by u·√K·√(sᵢ·‖Aᵢ‖₁·max|B|), where
/// sᵢ = (|A|·|B|·1)ᵢ. <see cref="Slack"/> multiplies that bound (default 32: 8 standard deviations times a safety of 4).
/// </remarks>
public sealed class FreivaldsVerifier(int rounds = FreivaldsVerifier.DefaultRounds, double slack = 32)
{
    public const int DefaultRounds = 16;

    private const double UnitRoundoff = 1.0 / (1 << 24);

    public int Rounds { get; } = rounds > 0 ? rounds : throw new ArgumentOutOfRangeException(nameof(rounds));

    public double Slack { get; } = slack > 0 ? slack : throw new ArgumentOutOfRangeException(nameof(slack));

    public VerificationOutcome Verify(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, MatMulShape shape, System.Random random)
    {
        if (c.Length != shape.ElementsC)
        {
            return VerificationOutcome.Rejected($"result has {c.Length} elements, expected {shape.ElementsC}");
        }

        for (var i = 0; i < c.Length; i++)
        {
            if (!float.IsFinite(c[i]))
            {
                return VerificationOutcome.Rejected($"result element {i} is not finite");
            }
        }

        var tolerance = Tolerances(a, b, shape);
        var x = new double[shape.N];
        var bx = new double[shape.K];
        for (var round = 0; round < Rounds; round++)
        {
            for (var j = 0; j < x.Length; j++)
            {
                x[j] = random.Next(2) == 0 ? -1.0 : 1.0;
            }

            for (var k = 0; k < shape.K; k++)
            {
                bx[k] = Dot(b.Slice(k * shape.N, shape.N), x);
            }

            for (var i = 0; i < shape.M; i++)
            {
                var expected = Dot(a.Slice(i * shape.K, shape.K), bx);
                var actual = Dot(c.Slice(i * shape.N, shape.N), x);
                var difference = Math.Abs(expected - actual);
                if (!(difference <= tolerance[i]))
                {
                    return VerificationOutcome.Rejected(
                        $"Freivalds round {round + 1}: row {i} of C·x differs from A·(B·x) by {difference:G4} (tolerance {tolerance[i]:G4})");
                }
            }
        }

        return VerificationOutcome.Accepted;
    }

    private double[] Tolerances(ReadOnlySpan<float> a, ReadOnlySpan<float> b, MatMulShape shape)
    {
        var absRowSumB = new double[shape.K];
        var maxB = 0.0;
        for (var k = 0; k < shape.K; k++)
        {
            var sum = 0.0;
            foreach (var value in b.Slice(k * shape.N, shape.N))
            {
                var magnitude = Math.Abs((double)value);
                sum += magnitude;
                maxB = Math.Max(maxB, magnitude);
            }

            absRowSumB[k] = sum;
        }

        var tolerance = new double[shape.M];
        var scale = Slack * UnitRoundoff * Math.Sqrt(shape.K);
        for (var i = 0; i < shape.M; i++)
        {
            var row = a.Slice(i * shape.K, shape.K);
            double s = 0, l1 = 0;
            for (var k = 0; k < row.Length; k++)
            {
                var magnitude = Math.Abs((double)row[k]);
                s += magnitude * absRowSumB[k];
                l1 += magnitude;
            }

            tolerance[i] = scale * Math.Sqrt(s * l1 * maxB) + double.Epsilon;
        }

        return tolerance;
    }

    private static double Dot(ReadOnlySpan<float> row, ReadOnlySpan<double> vector)
    {
        var sum = 0.0;
        for (var j = 0; j < row.Length; j++)
        {
            sum += row[j] * vector[j];
        }

        return sum;
    }
}
