namespace Depin.Kernels.MonteCarlo;

/// <summary>
/// JSON: <c>{"optionType":"call"|"put", "s0":…, "strike":…, "rate":…, "sigma":…, "maturity":…, "paths":…,
/// "steps":1, "seed":0, "pathsPerBlock":256}</c>. Rate and sigma are annual and continuous; maturity is in years.
/// </summary>
public sealed record MonteCarloParameters : IKernelParameters
{
    public const long MaxPaths = 1L << 36;
    public const int MaxSteps = 10_000;
    public const int MaxPathsPerBlock = 1 << 16;
    public const int MaxBlocks = 1 << 22;

    public string OptionType { get; init; } = "call";

    public double S0 { get; init; }

    public double Strike { get; init; }

    public double Rate { get; init; }

    public double Sigma { get; init; }

    public double Maturity { get; init; }

    public long Paths { get; init; }

    public int Steps { get; init; } = 1;

    public ulong Seed { get; init; }

    public int PathsPerBlock { get; init; } = 256;

    public bool IsCall => OptionType == "call";

    public int Blocks => (int)((Paths + PathsPerBlock - 1) / PathsPerBlock);

    public void Validate(List<ParameterError> errors)
    {
        if (OptionType is not ("call" or "put"))
        {
            errors.Add(new ParameterError("optionType", "must be \"call\" or \"put\""));
        }

        ParameterRules.Positive(errors, "s0", S0, 1e12);
        ParameterRules.Positive(errors, "strike", Strike, 1e12);
        if (!double.IsFinite(Rate) || Math.Abs(Rate) > 1)
        {
            errors.Add(new ParameterError("rate", "must be between -1 and 1"));
        }

        ParameterRules.Positive(errors, "sigma", Sigma, 5);
        ParameterRules.Positive(errors, "maturity", Maturity, 100);
        ParameterRules.InRange(errors, "paths", Paths, 2, MaxPaths);
        ParameterRules.InRange(errors, "steps", Steps, 1, MaxSteps);
        ParameterRules.InRange(errors, "pathsPerBlock", PathsPerBlock, 1, MaxPathsPerBlock);
        if (Paths > 0 && PathsPerBlock > 0 && (Paths + PathsPerBlock - 1) / PathsPerBlock > MaxBlocks)
        {
            errors.Add(new ParameterError("pathsPerBlock", $"must be large enough for at most {MaxBlocks} blocks"));
        }
    }

    internal MonteCarloSpec ToSpec()
    {
        var dt = Maturity / Steps;
        return new MonteCarloSpec(
            Math.Log(S0),
            (Rate - 0.5 * Sigma * Sigma) * dt,
            Sigma * Math.Sqrt(dt),
            Strike,
            IsCall ? 1 : 0,
            Steps,
            Paths,
            PathsPerBlock,
            (uint)Seed,
            (uint)(Seed >> 32));
    }
}
