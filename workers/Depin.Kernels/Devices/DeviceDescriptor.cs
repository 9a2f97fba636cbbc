namespace Depin.Kernels;

/// <summary>A discovered device, as the worker agent reports it to the marketplace.</summary>
/// <param name="Index">Position in <see cref="ComputeDevices.Devices"/>.</param>
/// <param name="MemoryBytes">Device memory; for the CPU accelerator, the memory available to this process.</param>
/// <param name="ComputeUnits">Multiprocessors (CUDA SMs, simulated CPU multiprocessors).</param>
/// <param name="MaxThreads">Threads resident at once: multiprocessors times threads per multiprocessor.</param>
public sealed record DeviceDescriptor(int Index, string Name, DeviceKind Kind, long MemoryBytes, int ComputeUnits, long MaxThreads);
