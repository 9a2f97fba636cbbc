using System.Text.Json;

namespace Depin.Kernels;

/// <summary>One kind of compute job: validation, pricing, execution on a device, reference execution and verification.</summary>
public interface IKernel
{
    /// <summary>The job kind as it appears in the REST API, e.g. <c>matmul</c>.</summary>
    string Kind { get; }

    /// <summary>Checks a JSON parameter object; empty when valid.</summary>
    IReadOnlyList<ParameterError> Validate(JsonElement parameters);

    /// <summary>Deterministic amount of work the job represents, the unit of payment.</summary>
    long WorkUnits(JsonElement parameters);

    /// <summary>Device memory the job needs, so the scheduler only offers it to workers that have it.</summary>
    long MinMemoryBytes(JsonElement parameters);

    /// <summary>Runs the job on a device lane and returns the result bytes.</summary>
    byte[] Run(ComputeDevice device, JsonElement parameters, ReadOnlySpan<byte> input);

    /// <summary>Runs the plain C# reference implementation; same result format as <see cref="Run"/>.</summary>
    byte[] RunReference(JsonElement parameters, ReadOnlySpan<byte> input);

    /// <summary>Checks a worker's result before it is paid; <paramref name="random"/> drives the sampling.</summary>
    VerificationOutcome Verify(JsonElement parameters, ReadOnlySpan<byte> input, ReadOnlySpan<byte> result, System.Random random);

    /// <summary>
    /// Compares a whole result with the known answer of the same job (a canary's reference result), within the tolerance
    /// that honest devices of this kind need (float kinds differ between CPU and GPU in the last bits, never more).
    /// </summary>
    VerificationOutcome MatchKnownAnswer(JsonElement parameters, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> result);
}
