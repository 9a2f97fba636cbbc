namespace Depin.Kernels;

internal static class ParameterRules
{
    public static void InRange(List<ParameterError> errors, string field, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            errors.Add(new ParameterError(field, $"must be between {min} and {max}, was {value}"));
        }
    }

    public static void Finite(List<ParameterError> errors, string field, double value)
    {
        if (!double.IsFinite(value))
        {
            errors.Add(new ParameterError(field, "must be a finite number"));
        }
    }

    public static void Positive(List<ParameterError> errors, string field, double value, double max)
    {
        if (!double.IsFinite(value) || value <= 0 || value > max)
        {
            errors.Add(new ParameterError(field, $"must be positive and at most {max}, was {value}"));
        }
    }
}
