namespace Depin.Chain.Tests.Tooling;

public class ChainToolsTests
{
    [Fact]
    public void Missing_anvil_fails_with_a_message_that_says_how_to_install_it()
    {
        string empty = Directory.CreateTempSubdirectory("depin-no-tools-").FullName;
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => ChainTools.FindTool("anvil", ChainTools.AnvilVariable, null, empty, empty));

            Assert.Contains("anvil was not found", error.Message);
            Assert.Contains("npm ci", error.Message);
            Assert.Contains(ChainTools.AnvilVariable, error.Message);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void Override_that_points_nowhere_is_an_error_not_a_fallback()
    {
        var error = Assert.Throws<FileNotFoundException>(() =>
            ChainTools.FindTool("cast", ChainTools.CastVariable, "/nonexistent/cast", null, null));

        Assert.Contains("DEPIN_CAST=/nonexistent/cast does not exist", error.Message);
    }

    [Fact]
    public void Tools_and_artifacts_are_found_under_infra_chain_of_this_repository()
    {
        string chainDir = Support.Toolchain.EnsureInstalled();

        Assert.True(File.Exists(Path.Combine(chainDir, "package.json")));
        Assert.EndsWith(Path.Combine("infra", "chain"), chainDir);
        Assert.Contains(Path.Combine("node_modules", "@foundry-rs", "cast-" + ChainTools.PlatformSuffix()), ChainTools.FindCast());
        Assert.Contains(Path.Combine("node_modules", "@foundry-rs", "anvil-" + ChainTools.PlatformSuffix()), ChainTools.FindAnvil());
    }

    [Fact]
    public void Compiled_distributor_artifact_has_creation_bytecode()
    {
        Support.Toolchain.EnsureContractsCompiled();

        ContractArtifact artifact = ContractArtifacts.Load(ContractArtifacts.MerkleDistributor);

        Assert.True(artifact.Bytecode.Length > 1000);
        Assert.Contains("\"claim\"", artifact.AbiJson);
    }
}
