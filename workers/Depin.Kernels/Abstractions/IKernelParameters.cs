namespace Depin.Kernels;

/// <summary>Typed parameters of one kernel kind, deserialized from the job's JSON object.</summary>
public interface IKernelParameters
{
    /// <summary>Appends one error per invalid field, named as in JSON.</summary>
    void Validate(List<ParameterError> errors);
}
