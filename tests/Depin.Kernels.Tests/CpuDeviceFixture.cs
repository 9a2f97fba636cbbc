using Depin.Kernels;

namespace Depin.Kernels.Tests;

/// <summary>One ILGPU context and one CPU accelerator lane shared by every test that runs a kernel.</summary>
public sealed class CpuDeviceFixture : IDisposable
{
    public CpuDeviceFixture()
    {
        Devices = ComputeDevices.Discover();
        Device = Devices.OpenCpu();
    }

    public ComputeDevices Devices { get; }

    public ComputeDevice Device { get; }

    public void Dispose()
    {
        Device.Dispose();
        Devices.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class CpuDeviceCollection : ICollectionFixture<CpuDeviceFixture>
{
    public const string Name = "CPU accelerator";
}
