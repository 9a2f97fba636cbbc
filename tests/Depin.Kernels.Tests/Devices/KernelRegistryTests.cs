namespace Depin.Kernels.Tests.Devices;

[Collection(CpuDeviceCollection.Name)]
public sealed class KernelRegistryTests(CpuDeviceFixture fixture)
{
    [Fact]
    public void Default_registry_has_the_four_kinds()
    {
        var registry = KernelRegistry.CreateDefault();

        Assert.Equal(["mandelbrot", "matmul", "montecarlo", "pow"], registry.Kinds.Order());
        Assert.False(registry.TryGet("sha3", out _));
    }

    [Fact]
    public void Non_object_parameters_are_rejected_with_the_root_field()
    {
        var error = Assert.Single(KernelRegistry.CreateDefault().Get("matmul").Validate(Json.Parse("[1,2]")));

        Assert.Equal("$", error.Field);
    }

    [Fact]
    public void Result_digest_is_lower_case_sha256_hex()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ResultDigest.Sha256Hex("abc"u8));
    }

    [Fact]
    public void Cpu_device_describes_itself_and_measures_a_score()
    {
        var device = fixture.Device;

        Assert.Equal(DeviceKind.Cpu, device.Kind);
        Assert.True(device.MemoryBytes > 0);
        Assert.True(device.ComputeUnits >= 1);
        Assert.Contains(fixture.Devices.Devices, d => d.Kind == DeviceKind.Cpu);
        Assert.True(device.MeasureGflops() >= 1);
    }

    [Fact]
    public async Task Concurrent_jobs_on_one_lane_are_serialized_and_correct()
    {
        var kernel = KernelRegistry.CreateDefault().Get("mandelbrot");
        var parameters = Json.Parse("""{"width":33,"height":9,"maxIterations":50}""");
        var expected = kernel.RunReference(parameters, default);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => kernel.Run(fixture.Device, parameters, default))));

        Assert.All(results, r => Assert.Equal(expected, r));
    }
}
