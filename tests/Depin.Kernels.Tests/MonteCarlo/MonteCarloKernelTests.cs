using System.Buffers.Binary;
using Depin.Kernels.MonteCarlo;
using Depin.Kernels.Random;

namespace Depin.Kernels.Tests.MonteCarlo;

[Collection(CpuDeviceCollection.Name)]
public sealed class MonteCarloKernelTests(CpuDeviceFixture fixture)
{
    private static readonly System.Text.Json.JsonElement OddJob = Json.Parse(
        """{"optionType":"call","s0":100,"strike":105,"rate":0.03,"sigma":0.2,"maturity":1,"paths":1025,"steps":3,"seed":12345,"pathsPerBlock":64}""");

    private readonly MonteCarloKernel _kernel = new(new MonteCarloVerifier(sampleBlocks: 64));

    [Fact]
    public void Kernel_on_cpu_accelerator_gives_exactly_the_reference_block_sums()
    {
        var expected = _kernel.RunReference(OddJob, default);

        var actual = _kernel.Run(fixture.Device, OddJob, default);

        Assert.Equal(24 + 17 * 16, actual.Length);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Verifier_accepts_the_correct_result()
    {
        var result = _kernel.Run(fixture.Device, OddJob, default);

        var outcome = _kernel.Verify(OddJob, default, result, new System.Random(1));

        Assert.True(outcome.Ok, outcome.Reason);
    }

    [Fact]
    public void Tampered_block_with_consistent_price_is_rejected()
    {
        var parameters = MonteCarloKernel.Parse(OddJob);
        var sums = MonteCarloReference.BlockSums(parameters);
        sums[2 * 9] *= 1.01;
        var tampered = MonteCarloResult.FromBlockSums(parameters, sums).ToBytes();

        var outcome = _kernel.Verify(OddJob, default, tampered, new System.Random(1));

        Assert.False(outcome.Ok);
        Assert.Contains("block 9", outcome.Reason);
    }

    [Fact]
    public void Tampered_price_is_rejected()
    {
        var result = _kernel.RunReference(OddJob, default);
        BinaryPrimitives.WriteDoubleLittleEndian(result, BinaryPrimitives.ReadDoubleLittleEndian(result) + 0.5);

        var outcome = _kernel.Verify(OddJob, default, result, new System.Random(1));

        Assert.False(outcome.Ok);
    }

    [Fact]
    public void Result_computed_with_another_seed_is_rejected()
    {
        var other = _kernel.RunReference(Json.Parse(
            """{"optionType":"call","s0":100,"strike":105,"rate":0.03,"sigma":0.2,"maturity":1,"paths":1025,"steps":3,"seed":1,"pathsPerBlock":64}"""), default);

        Assert.False(_kernel.Verify(OddJob, default, other, new System.Random(1)).Ok);
    }

    [Theory]
    [InlineData("call")]
    [InlineData("put")]
    public void Reference_price_converges_to_black_scholes(string optionType)
    {
        var parameters = MonteCarloKernel.Parse(Json.Parse(
            $$"""{"optionType":"{{optionType}}","s0":100,"strike":95,"rate":0.05,"sigma":0.25,"maturity":0.5,"paths":65537,"seed":7,"pathsPerBlock":1024}"""));

        var result = MonteCarloResult.FromBlockSums(parameters, MonteCarloReference.BlockSums(parameters));

        var exact = BlackScholes.Price(optionType == "call", 100, 95, 0.05, 0.25, 0.5);
        Assert.InRange(result.Price, exact - 4 * result.StandardError, exact + 4 * result.StandardError);
    }

    [Fact]
    public void Black_scholes_matches_a_published_value()
    {
        // Hull, Options Futures and Other Derivatives, example 15.6: S0=42, K=40, r=10%, sigma=20%, T=0.5.
        Assert.Equal(4.76, BlackScholes.Price(true, 42, 40, 0.1, 0.2, 0.5), 2);
        Assert.Equal(0.81, BlackScholes.Price(false, 42, 40, 0.1, 0.2, 0.5), 2);
    }

    [Fact]
    public void Philox_matches_the_random123_known_answer()
    {
        var zero = Philox4x32.Generate(new UInt4(0, 0, 0, 0), 0, 0);
        var pi = Philox4x32.Generate(new UInt4(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), 0xa4093822, 0x299f31d0);

        Assert.Equal(new uint[] { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 }, new[] { zero.X, zero.Y, zero.Z, zero.W });
        Assert.Equal(new uint[] { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 }, new[] { pi.X, pi.Y, pi.Z, pi.W });
    }

    [Fact]
    public void Work_units_are_paths_times_steps()
    {
        Assert.Equal(1025L * 3, _kernel.WorkUnits(OddJob));
    }

    [Theory]
    [InlineData("""{"optionType":"straddle","s0":100,"strike":100,"rate":0,"sigma":0.2,"maturity":1,"paths":100}""", "optionType")]
    [InlineData("""{"s0":-1,"strike":100,"rate":0,"sigma":0.2,"maturity":1,"paths":100}""", "s0")]
    [InlineData("""{"s0":100,"strike":100,"rate":0,"sigma":0,"maturity":1,"paths":100}""", "sigma")]
    [InlineData("""{"s0":100,"strike":100,"rate":0,"sigma":0.2,"maturity":1,"paths":1}""", "paths")]
    [InlineData("""{"s0":100,"strike":100,"rate":0,"sigma":0.2,"maturity":1,"paths":100,"steps":0}""", "steps")]
    [InlineData("""{"s0":100,"strike":100,"rate":0,"sigma":0.2,"maturity":1,"paths":68719476736,"pathsPerBlock":1}""", "pathsPerBlock")]
    public void Validation_names_the_bad_field(string json, string field)
    {
        var error = Assert.Single(_kernel.Validate(Json.Parse(json)));

        Assert.Equal(field, error.Field);
    }
}
