using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Depin.Kernels.Mandelbrot;
using Depin.Kernels.MatMul;
using Depin.Kernels.MonteCarlo;
using Depin.Kernels.ProofOfWork;

namespace Depin.Kernels.Tests.KnownAnswers;

/// <summary>
/// Canary checks: the accelerator's result matches the reference's known answer within the kind's tolerance, and results
/// that the sampled verifiers let through (a larger valid nonce, one bad block or a few bad pixels) do not.
/// </summary>
[Collection(CpuDeviceCollection.Name)]
public sealed class KnownAnswerTests(CpuDeviceFixture fixture)
{
    private static readonly System.Text.Json.JsonElement Pow =
        Json.Parse("""{"challenge":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff","difficultyBits":10}""");

    private static readonly System.Text.Json.JsonElement MatMul = Json.Parse("""{"m":33,"n":17,"k":65,"seed":9}""");

    private static readonly System.Text.Json.JsonElement MonteCarlo =
        Json.Parse("""{"optionType":"call","s0":100,"strike":105,"rate":0.02,"sigma":0.3,"maturity":1,"paths":65536,"pathsPerBlock":256,"seed":5}""");

    private static readonly System.Text.Json.JsonElement Mandelbrot = Json.Parse("""{"width":48,"height":40,"maxIterations":200}""");

    public static TheoryData<string> Kinds => ["pow", "matmul", "montecarlo", "mandelbrot"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_accelerators_result_matches_the_reference_answer(string kind)
    {
        var (kernel, parameters) = For(kind);
        var expected = kernel.RunReference(parameters, default);

        var actual = kernel.Run(fixture.Device, parameters, default);

        var outcome = kernel.MatchKnownAnswer(parameters, expected, actual);
        Assert.True(outcome.Ok, outcome.Reason);
    }

    [Fact]
    public void A_valid_but_larger_nonce_passes_verification_and_fails_the_known_answer()
    {
        var kernel = new PowKernel();
        var expected = kernel.RunReference(Pow, default);
        PowResult.TryParse(expected, out var smallest);
        var challenge = Convert.FromHexString(Pow.GetProperty("challenge").GetString()!);
        var next = smallest.Nonce + 1;
        while (PowHash.LeadingZeroBits(PowHash.Hash(challenge, next)) < 10)
        {
            next++;
        }

        var lazy = new PowResult(true, next, PowHash.Hash(challenge, next)).ToBytes();

        Assert.True(kernel.Verify(Pow, default, lazy, new System.Random(1)).Ok);
        var outcome = kernel.MatchKnownAnswer(Pow, expected, lazy);
        Assert.False(outcome.Ok);
        Assert.Contains("smallest", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void One_wrong_matmul_element_fails_the_known_answer()
    {
        var kernel = new MatMulKernel();
        var expected = kernel.RunReference(MatMul, default);
        var wrong = (byte[])expected.Clone();
        var c = MemoryMarshal.Cast<byte, float>(wrong.AsSpan());
        c[17 * 5 + 3] += 0.05f * (1 + Math.Abs(c[17 * 5 + 3]));

        var outcome = kernel.MatchKnownAnswer(MatMul, expected, wrong);

        Assert.False(outcome.Ok);
        Assert.Contains("C[5,3]", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void One_wrong_block_of_many_fails_the_known_answer()
    {
        var kernel = new MonteCarloKernel();
        var expected = kernel.RunReference(MonteCarlo, default);
        var wrong = (byte[])expected.Clone();
        var block = 200;
        var offset = 24 + (2 * block * sizeof(double));
        BinaryPrimitives.WriteDoubleLittleEndian(wrong.AsSpan(offset), BinaryPrimitives.ReadDoubleLittleEndian(wrong.AsSpan(offset)) * 1.001);

        var outcome = kernel.MatchKnownAnswer(MonteCarlo, expected, wrong);

        Assert.False(outcome.Ok);
        Assert.Contains("block 200", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pixels_off_by_one_pass_and_a_wrong_region_fails()
    {
        var kernel = new MandelbrotKernel();
        var parameters = Kernel<MandelbrotParameters>.Parse(Mandelbrot);
        var expected = kernel.RunReference(Mandelbrot, default);
        var (_, counts) = MandelbrotResult.Decode(expected);
        var nudged = counts.Select(c => Math.Max(0, c - 1)).ToArray();
        var region = (int[])counts.Clone();
        for (var i = 0; i < region.Length / 10; i++)
        {
            region[i] = parameters.MaxIterations - region[i] > 5 ? region[i] + 5 : 0;
        }

        Assert.True(kernel.MatchKnownAnswer(Mandelbrot, expected, MandelbrotResult.Encode(parameters, nudged)).Ok);
        Assert.False(kernel.MatchKnownAnswer(Mandelbrot, expected, MandelbrotResult.Encode(parameters, region)).Ok);
    }

    private static (IKernel Kernel, System.Text.Json.JsonElement Parameters) For(string kind) => kind switch
    {
        "pow" => (new PowKernel(), Pow),
        "matmul" => (new MatMulKernel(), MatMul),
        "montecarlo" => (new MonteCarloKernel(), MonteCarlo),
        _ => (new MandelbrotKernel(), Mandelbrot),
    };
}
