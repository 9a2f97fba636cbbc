namespace Depin.Kernels;

/// <summary>The ILGPU backend behind a compute device.</summary>
public enum DeviceKind
{
    Cpu,
    Cuda,
}
