namespace Depin.Kernels;

/// <summary>Thrown when a kernel is run with parameters that fail validation.</summary>
public sealed class KernelParameterException(IReadOnlyList<ParameterError> errors)
    : ArgumentException("Invalid kernel parameters: " + string.Join("; ", errors))
{
    public IReadOnlyList<ParameterError> Errors { get; } = errors;
}
