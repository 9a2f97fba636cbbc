using Depin.ServiceDefaults.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Depin.AllInOne.IntegrationTests;

public sealed class AdminKeyTests
{
    private static AdminKey Resolve(string environment, params (string Key, string Value)[] settings) =>
        AdminKey.Resolve(
            new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build(),
            new HostingEnvironment { EnvironmentName = environment },
            NullLogger.Instance);

    [Fact]
    public void The_well_known_key_is_refused_outside_development()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Resolve("Production", ("Dashboard:AdminApiKey", AdminKey.DevelopmentKey)));

        Assert.Contains("Admin:ApiKey", refused.Message);
    }

    [Fact]
    public void Without_a_key_production_gets_a_random_one_and_development_the_well_known_one()
    {
        var first = Resolve("Production");
        var second = Resolve("Production");
        var development = Resolve("Development");
        var demo = Resolve("Production", ("Demo", "true"));

        Assert.True(first.Generated);
        Assert.NotEqual(first.Value, second.Value);
        Assert.False(first.Matches(AdminKey.DevelopmentKey));
        Assert.True(first.Matches(first.Value));
        Assert.Equal(AdminKey.DevelopmentKey, development.Value);
        Assert.Equal(AdminKey.DevelopmentKey, demo.Value);
    }

    [Fact]
    public void A_configured_key_is_the_only_one_accepted()
    {
        var key = Resolve("Production", ("Admin:ApiKey", "s3cret-admin"));

        Assert.False(key.Generated);
        Assert.True(key.Matches("s3cret-admin"));
        Assert.False(key.Matches("s3cret-admiN"));
        Assert.False(key.Matches(null));
        Assert.False(key.Matches(AdminKey.DevelopmentKey));
    }
}
