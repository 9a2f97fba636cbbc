namespace Depin.Kernels;

/// <summary>A rejected job parameter: the JSON field name and why it was rejected.</summary>
public sealed record ParameterError(string Field, string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}
