using System.Text.Json;
using System.Text.Json.Serialization;

namespace Depin.Kernels;

/// <summary>Base of the kernel kinds: turns the JSON parameter object into <typeparamref name="TParameters"/> once per call.</summary>
public abstract class Kernel<TParameters> : IKernel
    where TParameters : class, IKernelParameters
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public abstract string Kind { get; }

    /// <summary>Deserializes and validates; returns null and the errors when invalid.</summary>
    public static TParameters? TryParse(JsonElement parameters, out IReadOnlyList<ParameterError> errors)
    {
        var list = new List<ParameterError>();
        errors = list;
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            list.Add(new ParameterError("$", "parameters must be a JSON object"));
            return null;
        }

        TParameters? typed;
        try
        {
            typed = parameters.Deserialize<TParameters>(JsonOptions);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "$" : ex.Path.TrimStart('$', '.');
            var reason = ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "is not a known parameter"
                : "has a value of the wrong type";
            list.Add(new ParameterError(field, reason));
            return null;
        }

        if (typed is null)
        {
            list.Add(new ParameterError("$", "parameters must be a JSON object"));
            return null;
        }

        typed.Validate(list);
        return list.Count == 0 ? typed : null;
    }

    /// <summary>Deserializes and validates, throwing <see cref="KernelParameterException"/> when invalid.</summary>
    public static TParameters Parse(JsonElement parameters) =>
        TryParse(parameters, out var errors) ?? throw new KernelParameterException(errors);

    public IReadOnlyList<ParameterError> Validate(JsonElement parameters)
    {
        TryParse(parameters, out var errors);
        return errors;
    }

    public long WorkUnits(JsonElement parameters) => WorkUnits(Parse(parameters));

    public long MinMemoryBytes(JsonElement parameters) => MinMemoryBytes(Parse(parameters));

    public byte[] Run(ComputeDevice device, JsonElement parameters, ReadOnlySpan<byte> input) =>
        Run(device, Parse(parameters), input);

    public byte[] RunReference(JsonElement parameters, ReadOnlySpan<byte> input) =>
        RunReference(Parse(parameters), input);

    public VerificationOutcome Verify(JsonElement parameters, ReadOnlySpan<byte> input, ReadOnlySpan<byte> result, System.Random random)
    {
        var typed = TryParse(parameters, out var errors);
        return typed is null
            ? VerificationOutcome.Rejected("invalid parameters: " + string.Join("; ", errors))
            : Verify(typed, input, result, random);
    }

    public VerificationOutcome MatchKnownAnswer(JsonElement parameters, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> result)
    {
        var typed = TryParse(parameters, out var errors);
        return typed is null
            ? VerificationOutcome.Rejected("invalid parameters: " + string.Join("; ", errors))
            : MatchKnownAnswer(typed, expected, result);
    }

    public abstract long WorkUnits(TParameters parameters);

    public abstract long MinMemoryBytes(TParameters parameters);

    public abstract byte[] Run(ComputeDevice device, TParameters parameters, ReadOnlySpan<byte> input);

    public abstract byte[] RunReference(TParameters parameters, ReadOnlySpan<byte> input);

    public abstract VerificationOutcome Verify(TParameters parameters, ReadOnlySpan<byte> input, ReadOnlySpan<byte> result, System.Random random);

    public abstract VerificationOutcome MatchKnownAnswer(TParameters parameters, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> result);
}
