namespace Depin.Kernels.MonteCarlo;

/// <summary>Precomputed GBM constants shared by the kernel and the reference, so both do identical arithmetic.</summary>
internal readonly record struct MonteCarloSpec(
    double LogS0,
    double Drift,
    double Volatility,
    double Strike,
    int IsCall,
    int Steps,
    long Paths,
    int PathsPerBlock,
    uint Key0,
    uint Key1);
