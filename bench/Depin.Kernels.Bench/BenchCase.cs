using System.Text.Json;

namespace Depin.Kernels.Bench;

/// <summary>One job to time: a kernel kind with parameters sized for the device kind.</summary>
internal sealed record BenchCase(string Kind, string Label, JsonElement Parameters)
{
    public static IReadOnlyList<BenchCase> For(DeviceKind device) => device == DeviceKind.Cuda
        ?
        [
            Case("matmul", "1024x1024x1024", """{"m":1024,"n":1024,"k":1024,"seed":1}"""),
            Case("mandelbrot", "1024x1024 it 500", """{"width":1024,"height":1024,"centerX":-0.75,"centerY":0.1,"spanX":2.5,"maxIterations":500}"""),
            Case("montecarlo", "1M paths x 16", """{"optionType":"call","s0":100,"strike":105,"rate":0.03,"sigma":0.2,"maturity":1,"paths":1048576,"steps":16,"seed":1,"pathsPerBlock":64}"""),
            Case("pow", "22 bits", """{"challenge":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f","difficultyBits":22}"""),
        ]
        :
        [
            Case("matmul", "65x65x65", """{"m":65,"n":65,"k":65,"seed":1}"""),
            Case("mandelbrot", "257x129 it 256", """{"width":257,"height":129,"centerX":-0.75,"centerY":0.1,"spanX":2.5,"maxIterations":256}"""),
            Case("montecarlo", "16385 paths x 4", """{"optionType":"call","s0":100,"strike":105,"rate":0.03,"sigma":0.2,"maturity":1,"paths":16385,"steps":4,"seed":1,"pathsPerBlock":64}"""),
            Case("pow", "14 bits", """{"challenge":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f","difficultyBits":14}"""),
        ];

    private static BenchCase Case(string kind, string label, string json)
    {
        using var document = JsonDocument.Parse(json);
        return new BenchCase(kind, label, document.RootElement.Clone());
    }
}
