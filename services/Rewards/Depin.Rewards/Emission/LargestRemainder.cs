namespace Depin.Rewards.Emission;

/// <summary>
/// Integer apportionment by largest remainder (Hamilton's method): share_i = floor(pool · w_i / W), then the
/// leftover units (fewer than the number of weighted entries) go one each to the largest fractional remainders,
/// ties to the lower index. The shares always sum to exactly <c>pool</c> when W &gt; 0.
/// </summary>
public static class LargestRemainder
{
    /// <summary>Fills <paramref name="shares"/> (same length as <paramref name="weights"/>); returns false (all zero) when every weight is zero.</summary>
    public static bool Apportion(long pool, ReadOnlySpan<UInt128> weights, Span<long> shares)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pool);
        if (shares.Length != weights.Length)
        {
            throw new ArgumentException("One share per weight.", nameof(shares));
        }

        shares.Clear();
        UInt128 total = UInt128.Zero;
        foreach (UInt128 w in weights)
        {
            total = checked(total + w);
        }

        if (total == UInt128.Zero)
        {
            return false;
        }

        // pool < 2^63 and each scaled weight < 2^64 keep pool · w inside 128 bits; above 2^64 in total the
        // weights lose their low bits uniformly (a deterministic, documented approximation).
        int shift = Math.Max(0, 128 - (int)UInt128.LeadingZeroCount(total) - 64);
        ulong scaledTotal;
        if (shift > 0)
        {
            UInt128 sum = UInt128.Zero;
            foreach (UInt128 w in weights)
            {
                sum += w >> shift;
            }

            if (sum == UInt128.Zero)
            {
                return false;
            }

            scaledTotal = (ulong)sum;
        }
        else
        {
            scaledTotal = (ulong)total;
        }

        var remainders = new ulong[weights.Length];
        long assigned = 0;
        int withRemainder = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            ulong w = (ulong)(weights[i] >> shift);
            if (w == 0)
            {
                continue;
            }

            UInt128 product = (UInt128)(ulong)pool * w;
            (UInt128 quotient, UInt128 remainder) = UInt128.DivRem(product, scaledTotal);
            shares[i] = (long)quotient;
            assigned += (long)quotient;
            remainders[i] = (ulong)remainder;
            if (remainder != UInt128.Zero)
            {
                withRemainder++;
            }
        }

        long leftover = pool - assigned;
        if (leftover == 0)
        {
            return true;
        }

        // Order by remainder descending, then index ascending: the key (~remainder, index) sorts ascending.
        var keys = new UInt128[withRemainder];
        int k = 0;
        for (int i = 0; i < remainders.Length; i++)
        {
            if (remainders[i] != 0)
            {
                keys[k++] = ((UInt128)(~remainders[i]) << 64) | (uint)i;
            }
        }

        if (leftover < keys.Length)
        {
            SelectSmallest(keys, (int)leftover);
        }
        else
        {
            Array.Sort(keys);
        }

        for (int j = 0; j < leftover; j++)
        {
            shares[(int)(uint)keys[j]]++;
        }

        return true;
    }

    /// <summary>Puts the <paramref name="count"/> smallest keys first (in any order): a full sort is only needed for the prefix.</summary>
    private static void SelectSmallest(UInt128[] keys, int count)
    {
        if (count == 0)
        {
            return;
        }

        // Quickselect on the count-th smallest, then the prefix holds exactly the count smallest keys (keys are distinct: they embed the index).
        int left = 0;
        int right = keys.Length - 1;
        int target = count - 1;
        var random = new Random(17);
        while (left < right)
        {
            UInt128 pivot = keys[random.Next(left, right + 1)];
            int i = left;
            int j = right;
            while (i <= j)
            {
                while (keys[i] < pivot)
                {
                    i++;
                }

                while (keys[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (keys[i], keys[j]) = (keys[j], keys[i]);
                    i++;
                    j--;
                }
            }

            if (target <= j)
            {
                right = j;
            }
            else if (target >= i)
            {
                left = i;
            }
            else
            {
                break;
            }
        }
    }

    /// <summary>
    /// The plain reference: exact <see cref="System.Numerics.BigInteger"/> quotas, a full sort by (remainder desc, index asc).
    /// Same result as <see cref="Apportion"/> whenever the total weight fits in 64 bits (no scaling); tests and the bench compare them.
    /// </summary>
    internal static long[] ApportionReference(long pool, IReadOnlyList<UInt128> weights)
    {
        var total = System.Numerics.BigInteger.Zero;
        foreach (UInt128 w in weights)
        {
            total += w;
        }

        long[] shares = new long[weights.Count];
        if (total.IsZero)
        {
            return shares;
        }

        var remainders = new List<(System.Numerics.BigInteger Remainder, int Index)>();
        long assigned = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            var quotient = System.Numerics.BigInteger.DivRem(pool * (System.Numerics.BigInteger)weights[i], total, out System.Numerics.BigInteger remainder);
            shares[i] = (long)quotient;
            assigned += shares[i];
            remainders.Add((remainder, i));
        }

        foreach ((_, int index) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Index).Take((int)(pool - assigned)))
        {
            shares[index]++;
        }

        return shares;
    }
}
