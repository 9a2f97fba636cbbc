namespace Depin.Kernels.MonteCarlo;

/// <summary>Closed-form European option price, the sanity bound for Monte Carlo results.</summary>
public static class BlackScholes
{
    public static double Price(bool call, double s0, double strike, double rate, double sigma, double maturity)
    {
        var sqrtT = Math.Sqrt(maturity);
        var d1 = (Math.Log(s0 / strike) + (rate + 0.5 * sigma * sigma) * maturity) / (sigma * sqrtT);
        var d2 = d1 - sigma * sqrtT;
        var discountedStrike = strike * Math.Exp(-rate * maturity);
        return call
            ? s0 * NormalCdf(d1) - discountedStrike * NormalCdf(d2)
            : discountedStrike * NormalCdf(-d2) - s0 * NormalCdf(-d1);
    }

    /// <summary>Abramowitz and Stegun 26.2.17; absolute error below 7.5e-8.</summary>
    public static double NormalCdf(double x)
    {
        if (x < 0)
        {
            return 1.0 - NormalCdf(-x);
        }

        var t = 1.0 / (1.0 + 0.2316419 * x);
        var poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        return 1.0 - Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI) * poly;
    }
}
