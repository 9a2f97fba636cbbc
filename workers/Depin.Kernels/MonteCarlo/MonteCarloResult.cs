using System.Buffers.Binary;

namespace Depin.Kernels.MonteCarlo;

/// <summary>
/// Result bytes, little-endian: price (f64), standard error (f64), block count (i64), then per block the payoff sum
/// and sum of squares (f64, f64). Price and error are derived from the block sums by <see cref="FromBlockSums"/>.
/// </summary>
public sealed record MonteCarloResult(double Price, double StandardError, double[] BlockSums)
{
    private const int HeaderBytes = 24;

    public int BlockCount => BlockSums.Length / 2;

    public static MonteCarloResult FromBlockSums(MonteCarloParameters parameters, double[] blockSums)
    {
        double sum = 0, sumOfSquares = 0;
        for (var i = 0; i < blockSums.Length; i += 2)
        {
            sum += blockSums[i];
            sumOfSquares += blockSums[i + 1];
        }

        var n = (double)parameters.Paths;
        var mean = sum / n;
        var variance = Math.Max(0.0, (sumOfSquares / n - mean * mean) * n / (n - 1));
        var discount = Math.Exp(-parameters.Rate * parameters.Maturity);
        return new MonteCarloResult(discount * mean, discount * Math.Sqrt(variance / n), blockSums);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderBytes + BlockSums.Length * sizeof(double)];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, Price);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8), StandardError);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), BlockCount);
        for (var i = 0; i < BlockSums.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(HeaderBytes + i * sizeof(double)), BlockSums[i]);
        }

        return bytes;
    }

    public static MonteCarloResult? TryParse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes)
        {
            return null;
        }

        var blocks = BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]);
        if (blocks < 0 || blocks > MonteCarloParameters.MaxBlocks || bytes.Length != HeaderBytes + blocks * 16)
        {
            return null;
        }

        var sums = new double[2 * blocks];
        for (var i = 0; i < sums.Length; i++)
        {
            sums[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(HeaderBytes + i * sizeof(double))..]);
        }

        return new MonteCarloResult(BinaryPrimitives.ReadDoubleLittleEndian(bytes), BinaryPrimitives.ReadDoubleLittleEndian(bytes[8..]), sums);
    }
}
