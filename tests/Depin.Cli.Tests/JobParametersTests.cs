using System.Text.Json;

namespace Depin.Cli.Tests;

public sealed class JobParametersTests
{
    [Fact]
    public void Pairs_become_typed_json_values()
    {
        var json = JobParameters.Parse(["m=33", "spanX=2.5", "optionType=call", "flag=true", "challenge=00ff"]);

        Assert.Equal(JsonValueKind.Number, json.GetProperty("m").ValueKind);
        Assert.Equal(33, json.GetProperty("m").GetInt64());
        Assert.Equal(2.5, json.GetProperty("spanX").GetDouble());
        Assert.Equal("call", json.GetProperty("optionType").GetString());
        Assert.True(json.GetProperty("flag").GetBoolean());
        Assert.Equal("00ff", json.GetProperty("challenge").GetString());
    }

    [Fact]
    public void A_pair_without_equals_is_refused() =>
        Assert.Throws<FormatException>(() => JobParameters.Parse(["m33"]));

    [Fact]
    public void Help_lists_the_commands()
    {
        var output = new StringWriter();
        var result = Commands.Build().Parse(["--help"]);
        result.InvocationConfiguration.Output = output;
        Assert.Equal(0, result.Invoke());
        foreach (var command in new[] { "customer", "provider", "fund", "balance", "job", "jobs" })
        {
            Assert.Contains(command, output.ToString());
        }
    }
}
