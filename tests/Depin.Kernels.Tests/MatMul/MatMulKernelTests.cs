using System.Runtime.InteropServices;
using Depin.Kernels.MatMul;

namespace Depin.Kernels.Tests.MatMul;

[Collection(CpuDeviceCollection.Name)]
public sealed class MatMulKernelTests(CpuDeviceFixture fixture)
{
    private static readonly System.Text.Json.JsonElement OddShape = Json.Parse("""{"m":33,"n":17,"k":65,"seed":42}""");
    private readonly MatMulKernel _kernel = new();

    [Fact]
    public void Kernel_on_cpu_accelerator_matches_reference_at_odd_sizes()
    {
        var expected = MemoryMarshal.Cast<byte, float>(_kernel.RunReference(OddShape, default)).ToArray();

        var actual = MemoryMarshal.Cast<byte, float>(_kernel.Run(fixture.Device, OddShape, default)).ToArray();

        Assert.Equal(33 * 17, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1f, Math.Abs(expected[i])), $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }

    [Fact]
    public void Supplied_input_bytes_win_over_the_seed()
    {
        var a = new float[] { 1, 2, 3, 4, 5, 6 };
        var b = new float[] { 7, 8, 9, 10, 11, 12 };
        var input = MemoryMarshal.AsBytes(a.Concat(b).ToArray().AsSpan()).ToArray();
        var parameters = Json.Parse("""{"m":2,"n":2,"k":3,"seed":99}""");

        var c = MemoryMarshal.Cast<byte, float>(_kernel.Run(fixture.Device, parameters, input)).ToArray();

        Assert.Equal(new float[] { 58, 64, 139, 154 }, c);
    }

    [Fact]
    public void Seeded_input_is_deterministic()
    {
        var first = MatMulInput.Generate(1025, 7, 0);
        var second = MatMulInput.Generate(1025, 7, 0);

        Assert.Equal(first, second);
        Assert.NotEqual(first, MatMulInput.Generate(1025, 8, 0));
        Assert.All(first, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Verifier_accepts_the_correct_product()
    {
        var result = _kernel.Run(fixture.Device, OddShape, default);

        var outcome = _kernel.Verify(OddShape, default, result, new System.Random(1));

        Assert.True(outcome.Ok, outcome.Reason);
    }

    [Fact]
    public void Freivalds_accepts_a_long_product_summed_in_another_order()
    {
        var shape = new MatMulShape(9, 7, 1025);
        var a = MatMulInput.Generate(shape.ElementsA, 3, 0);
        var b = MatMulInput.Generate(shape.ElementsB, 3, 1);
        var c = new float[shape.ElementsC];
        for (var i = 0; i < shape.M; i++)
        {
            for (var j = 0; j < shape.N; j++)
            {
                var acc = 0.0f;
                for (var k = shape.K - 1; k >= 0; k--)
                {
                    acc += a[i * shape.K + k] * b[k * shape.N + j];
                }

                c[i * shape.N + j] = acc;
            }
        }

        var outcome = new FreivaldsVerifier().Verify(a, b, c, shape, new System.Random(5));

        Assert.True(outcome.Ok, outcome.Reason);
    }

    [Fact]
    public void Freivalds_catches_one_perturbed_element()
    {
        var result = _kernel.RunReference(OddShape, default);
        var c = MemoryMarshal.Cast<byte, float>(result.AsSpan());
        c[17 * 20 + 5] += 0.05f;

        var outcome = _kernel.Verify(OddShape, default, result, new System.Random(1));

        Assert.False(outcome.Ok);
        Assert.Contains("row 20", outcome.Reason);
    }

    [Fact]
    public void Freivalds_catches_a_product_of_the_wrong_matrices()
    {
        var result = _kernel.RunReference(Json.Parse("""{"m":33,"n":17,"k":65,"seed":43}"""), default);

        var outcome = _kernel.Verify(OddShape, default, result, new System.Random(1));

        Assert.False(outcome.Ok);
    }

    [Fact]
    public void Verifier_rejects_a_result_of_the_wrong_length()
    {
        var outcome = _kernel.Verify(OddShape, default, new byte[12], new System.Random(1));

        Assert.False(outcome.Ok);
    }

    [Fact]
    public void Work_units_are_two_m_n_k()
    {
        Assert.Equal(2L * 33 * 17 * 65, _kernel.WorkUnits(OddShape));
        Assert.Equal(2L * 16384 * 16384 * 16384, _kernel.WorkUnits(Json.Parse("""{"m":16384,"n":16384,"k":16384}""")));
    }

    [Fact]
    public void Min_memory_holds_the_three_matrices()
    {
        Assert.Equal((33L * 65 + 65 * 17 + 33 * 17) * 4, _kernel.MinMemoryBytes(OddShape));
    }

    [Theory]
    [InlineData("""{"m":0,"n":4,"k":4}""", "m")]
    [InlineData("""{"m":4,"n":16385,"k":4}""", "n")]
    [InlineData("""{"m":4,"n":4,"k":-1}""", "k")]
    [InlineData("""{"m":4,"n":4,"k":4,"tile":8}""", "tile")]
    [InlineData("""{"m":"four","n":4,"k":4}""", "m")]
    public void Validation_names_the_bad_field(string json, string field)
    {
        var errors = _kernel.Validate(Json.Parse(json));

        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Running_with_invalid_parameters_throws_with_the_errors()
    {
        var ex = Assert.Throws<KernelParameterException>(() => _kernel.RunReference(Json.Parse("""{"m":0,"n":1,"k":1}"""), default));

        Assert.Equal("m", Assert.Single(ex.Errors).Field);
    }
}
