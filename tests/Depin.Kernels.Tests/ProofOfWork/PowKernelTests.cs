using Depin.Kernels.ProofOfWork;

namespace Depin.Kernels.Tests.ProofOfWork;

[Collection(CpuDeviceCollection.Name)]
public sealed class PowKernelTests(CpuDeviceFixture fixture)
{
    private readonly PowKernel _kernel = new();

    private static System.Text.Json.JsonElement Parameters(int challengeBytes, int difficulty, ulong start = 0) =>
        Json.Parse($$"""{"challenge":"{{Challenge(challengeBytes)}}","difficultyBits":{{difficulty}},"startNonce":{{start}}}""");

    private static string Challenge(int bytes) =>
        Convert.ToHexString(Enumerable.Range(0, bytes).Select(i => (byte)(i * 37 + 11)).ToArray());

    [Theory]
    [InlineData(32, 10)]
    [InlineData(45, 9)]
    [InlineData(55, 8)]
    [InlineData(64, 10)]
    public void Kernel_on_cpu_accelerator_finds_the_same_smallest_nonce_as_the_reference(int challengeBytes, int difficulty)
    {
        var parameters = Parameters(challengeBytes, difficulty, start: 1000);
        var expected = _kernel.RunReference(parameters, default);

        var actual = _kernel.Run(fixture.Device, parameters, default);

        Assert.Equal(expected, actual);
        Assert.True(PowResult.TryParse(actual, out var result));
        Assert.True(result.Found);
        Assert.True(result.Nonce >= 1000);
    }

    [Fact]
    public void Found_nonce_verifies()
    {
        var parameters = Parameters(33, 12);
        var result = _kernel.Run(fixture.Device, parameters, default);

        var outcome = _kernel.Verify(parameters, default, result, new System.Random(1));

        Assert.True(outcome.Ok, outcome.Reason);
    }

    [Fact]
    public void Wrong_nonce_is_rejected()
    {
        var parameters = Parameters(32, 12);
        PowResult.TryParse(_kernel.RunReference(parameters, default), out var found);
        var wrongNonce = found.Nonce + 1;
        var forged = new PowResult(true, wrongNonce, PowHash.Hash(Convert.FromHexString(Challenge(32)), wrongNonce));

        var outcome = _kernel.Verify(parameters, default, forged.ToBytes(), new System.Random(1));

        Assert.False(outcome.Ok);
        Assert.Contains("leading zero bits", outcome.Reason);
    }

    [Fact]
    public void Result_whose_hash_does_not_match_the_nonce_is_rejected()
    {
        var parameters = Parameters(32, 12);
        var result = _kernel.RunReference(parameters, default);
        result[3] ^= 1;

        var outcome = _kernel.Verify(parameters, default, result, new System.Random(1));

        Assert.False(outcome.Ok);
    }

    [Fact]
    public void Exhausted_budget_is_reported_and_rejected()
    {
        var parameters = Json.Parse($$"""{"challenge":"{{Challenge(32)}}","difficultyBits":30,"maxNonces":100}""");
        var result = _kernel.Run(fixture.Device, parameters, default);

        Assert.Equal(0, result[0]);
        Assert.False(_kernel.Verify(parameters, default, result, new System.Random(1)).Ok);
    }

    [Fact]
    public void Work_units_are_the_expected_hashes()
    {
        Assert.Equal(1L << 12, _kernel.WorkUnits(Parameters(32, 12)));
        Assert.Equal(1L << 48, _kernel.WorkUnits(Parameters(32, 48)));
    }

    [Theory]
    [InlineData("""{"challenge":"abcd","difficultyBits":8}""", "challenge")]
    [InlineData("""{"challenge":"zz00000000000000000000000000000000000000000000000000000000000000","difficultyBits":8}""", "challenge")]
    [InlineData("""{"challenge":"0000000000000000000000000000000000000000000000000000000000000000","difficultyBits":49}""", "difficultyBits")]
    [InlineData("""{"challenge":"0000000000000000000000000000000000000000000000000000000000000000","difficultyBits":0}""", "difficultyBits")]
    public void Validation_names_the_bad_field(string json, string field)
    {
        var error = Assert.Single(_kernel.Validate(Json.Parse(json)));

        Assert.Equal(field, error.Field);
    }
}
