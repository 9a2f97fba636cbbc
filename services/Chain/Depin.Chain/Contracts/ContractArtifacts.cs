using System.Text.Json;

namespace Depin.Chain;

/// <summary>A compiled contract from infra/chain/build/&lt;Name&gt;.json (written by infra/chain/compile.js).</summary>
public sealed record ContractArtifact(string Name, byte[] Bytecode, string AbiJson)
{
    /// <summary>The creation bytecode as 0x-hex, what a Nethereum deployment message carries.</summary>
    public string BytecodeHex => Hex.Encode(Bytecode);
}

/// <summary>Loads compiled contract artifacts from infra/chain/build.</summary>
public static class ContractArtifacts
{
    public const string RewardToken = "RewardToken";
    public const string MerkleDistributor = "MerkleDistributor";
    public const string StateAnchor = "StateAnchor";
    public const string Vault = "Vault";

    public static IReadOnlyList<string> All { get; } = [RewardToken, MerkleDistributor, StateAnchor, Vault];

    public static string BuildDirectory(string? chainDirectory = null) => Path.Combine(chainDirectory ?? ChainTools.FindChainDirectory(), "build");

    public static bool AllPresent(string? chainDirectory = null)
    {
        string build = BuildDirectory(chainDirectory);
        return All.All(name => File.Exists(Path.Combine(build, name + ".json")));
    }

    public static ContractArtifact Load(string name, string? chainDirectory = null)
    {
        string path = Path.Combine(BuildDirectory(chainDirectory), name + ".json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Contract artifact {path} is missing; run `node compile.js` in infra/chain.", path);
        }

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        string bytecode = doc.RootElement.GetProperty("bytecode").GetString()
            ?? throw new InvalidDataException($"{path} has no bytecode.");
        return new ContractArtifact(name, Hex.Decode(bytecode), doc.RootElement.GetProperty("abi").GetRawText());
    }
}
