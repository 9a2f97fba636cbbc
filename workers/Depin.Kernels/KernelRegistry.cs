using System.Diagnostics.CodeAnalysis;
using Depin.Kernels.Mandelbrot;
using Depin.Kernels.MatMul;
using Depin.Kernels.MonteCarlo;
using Depin.Kernels.ProofOfWork;

namespace Depin.Kernels;

/// <summary>The kernel kinds the platform runs, looked up by <see cref="IKernel.Kind"/>.</summary>
public sealed class KernelRegistry
{
    private readonly Dictionary<string, IKernel> _kernels;

    public KernelRegistry(IEnumerable<IKernel> kernels)
    {
        _kernels = kernels.ToDictionary(k => k.Kind, StringComparer.Ordinal);
    }

    /// <summary>All built-in kinds with their default verifier settings.</summary>
    public static KernelRegistry CreateDefault() => new(
    [
        new MatMulKernel(),
        new PowKernel(),
        new MonteCarloKernel(),
        new MandelbrotKernel(),
    ]);

    public IReadOnlyCollection<string> Kinds => _kernels.Keys;

    public IEnumerable<IKernel> All => _kernels.Values;

    public bool TryGet(string kind, [NotNullWhen(true)] out IKernel? kernel) => _kernels.TryGetValue(kind, out kernel);

    public IKernel Get(string kind) =>
        _kernels.TryGetValue(kind, out var kernel) ? kernel : throw new KeyNotFoundException($"Unknown kernel kind '{kind}'.");
}
