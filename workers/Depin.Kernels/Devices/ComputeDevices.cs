using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Depin.Kernels;

/// <summary>
/// Owns the ILGPU context and lists its devices, CUDA first (when a driver is present), then the CPU accelerator.
/// Open one <see cref="ComputeDevice"/> per lane; dispose the lanes before this object, which disposes the context.
/// </summary>
public sealed class ComputeDevices : IDisposable
{
    private readonly Context _context;
    private readonly Device[] _devices;

    private ComputeDevices(Context context)
    {
        _context = context;
        _devices = [.. context.Devices
            .Where(d => d.AcceleratorType is AcceleratorType.Cuda or AcceleratorType.CPU)
            .OrderBy(d => d.AcceleratorType == AcceleratorType.Cuda ? 0 : 1)];
        Devices = [.. _devices.Select(Describe)];
    }

    /// <summary>Devices in order of preference.</summary>
    public IReadOnlyList<DeviceDescriptor> Devices { get; }

    /// <summary>Creates the ILGPU context with the algorithms library and discovers devices.</summary>
    public static ComputeDevices Discover() => new(Context.Create(b => b.Default().EnableAlgorithms()));

    /// <summary>Opens a lane on the preferred device (CUDA when present).</summary>
    public ComputeDevice OpenPreferred() => Open(Devices[0]);

    /// <summary>Opens a lane on the CPU accelerator.</summary>
    public ComputeDevice OpenCpu() => Open(Devices.First(d => d.Kind == DeviceKind.Cpu));

    /// <summary>Creates a new accelerator on <paramref name="device"/>; the caller disposes it.</summary>
    public ComputeDevice Open(DeviceDescriptor device)
    {
        var accelerator = _devices[device.Index].CreateAccelerator(_context);
        return new ComputeDevice(device, accelerator);
    }

    public void Dispose() => _context.Dispose();

    private DeviceDescriptor Describe(Device device, int index)
    {
        var kind = device.AcceleratorType == AcceleratorType.Cuda ? DeviceKind.Cuda : DeviceKind.Cpu;
        var memory = kind == DeviceKind.Cuda
            ? device.MemorySize
            : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var name = device is CudaDevice cuda ? $"{cuda.Name} (sm_{cuda.Architecture})" : device.Name;
        return new DeviceDescriptor(
            index,
            name,
            kind,
            memory,
            device.NumMultiprocessors,
            (long)device.NumMultiprocessors * device.MaxNumThreadsPerMultiprocessor);
    }
}
