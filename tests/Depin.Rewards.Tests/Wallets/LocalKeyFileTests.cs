using Depin.Chain;
using Depin.Rewards.Wallets;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nethereum.Signer;

namespace Depin.Rewards.Tests.Wallets;

public sealed class LocalKeyFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("depin-keyfile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Created_key_file_loads_back_and_signs_challenges_the_verifier_accepts()
    {
        string path = Path.Combine(_directory, "provider.json");
        LocalKeyFile created = LocalKeyFile.Create(path);
        LocalKeyFile loaded = LocalKeyFile.Load(path);
        var challenges = new WalletChallenges(Options.Create(new RewardsOptions()), new FakeTimeProvider(DateTimeOffset.UtcNow));
        WalletChallenge c = challenges.Issue(loaded.Address);

        WalletVerification result = challenges.Verify(loaded.Address.ToString(), c.Message, loaded.SignChallenge(c.Message));

        Assert.Equal(created.Address, loaded.Address);
        Assert.True(result.Succeeded, result.Detail);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Create_refuses_to_overwrite_and_load_refuses_a_mismatched_address()
    {
        string path = Path.Combine(_directory, "provider.json");
        LocalKeyFile.Create(path);
        Assert.Throws<IOException>(() => LocalKeyFile.Create(path));

        string forged = Path.Combine(_directory, "forged.json");
        File.WriteAllText(forged, $$"""{"address":"{{EthECKey.GenerateKey().Address}}","privateKey":"{{EthECKey.GenerateKey().ToHex()}}"}""");
        Assert.Throws<InvalidDataException>(() => LocalKeyFile.Load(forged));
    }
}
